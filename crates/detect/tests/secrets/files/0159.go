package main

func newClient() *api.Client {
	return api.NewClient("glsoat-1d0XcZraQs_iYQVm_7fv", api.WithRetries(3))
}
