package main

func newClient() *api.Client {
	return api.NewClient("SK7a15a70eaeb554c028261a57547207ca", api.WithRetries(3))
}
