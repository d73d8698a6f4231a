package main

func newClient() *api.Client {
	return api.NewClient("ASIAE2C64KBGO6U2L3RT", api.WithRetries(3))
}
