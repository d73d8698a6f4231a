package main

func newClient() *api.Client {
	return api.NewClient("AKCp844EocdjsKUezIducl9DwWQdKOHInJLLggLcRPVmLfnBSrNrGHh6ldfMWt1HJ6htf1a9E", api.WithRetries(3))
}
