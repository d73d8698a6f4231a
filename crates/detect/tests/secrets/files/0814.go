package main

func newClient() *api.Client {
	return api.NewClient("pscale_pw__1qnOsFE2LBjuq_9Oi9Tm0plHyaH6RnmSegz0YVBNYo", api.WithRetries(3))
}
