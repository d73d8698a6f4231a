package main

func newClient() *api.Client {
	return api.NewClient("dckr_pat_Rg2opUWaSj0AKNgsakVn23u4A6O", api.WithRetries(3))
}
