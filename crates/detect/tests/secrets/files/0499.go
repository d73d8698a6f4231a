package main

func newClient() *api.Client {
	return api.NewClient("rubygems_a81081a11b6b7ac5a7e460d93a12cf25ddec78e1645eda5b", api.WithRetries(3))
}
