package main

func newClient() *api.Client {
	return api.NewClient("ghu_FlQC7MaIWoNLpdomhC3cArq1resp3C3WIBcF", api.WithRetries(3))
}
