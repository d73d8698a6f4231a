package main

func newClient() *api.Client {
	return api.NewClient("sk.eyJ1IjoiZ2F0ZXdheS1tYXBzIiwiYSI6IgWXreI7Jz.lMoy_N98zZnAAD5pJ-7mA1", api.WithRetries(3))
}
