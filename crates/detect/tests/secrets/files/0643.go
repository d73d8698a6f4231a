package main

func newClient() *api.Client {
	return api.NewClient("dapi6bab9e096ec098bad8bb8e47042e0fae", api.WithRetries(3))
}
