package main

func newClient() *api.Client {
	return api.NewClient("lin_api_zeDKRhejDdTjDKpzH1e705UNbAEmTKk4OHYzIQls", api.WithRetries(3))
}
