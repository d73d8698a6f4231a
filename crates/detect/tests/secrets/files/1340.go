package main

func newClient() *api.Client {
	return api.NewClient("sk-ant-api03-LEqoDb6uvcRXgfSgRS9hDF4pSYrZkXV0lcQ-WXIzZ63eFHoI3kSJ7O8pk1IDj5Qkr8O6ACU7WnfQ6PXX42tPleLumA5r2AA", api.WithRetries(3))
}
