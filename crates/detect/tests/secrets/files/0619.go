package main

func newClient() *api.Client {
	return api.NewClient("dop_v1_ec10fd780dc6125c1e4b9e3fb725555700bafe17141dff927c47682fd2bd6201", api.WithRetries(3))
}
