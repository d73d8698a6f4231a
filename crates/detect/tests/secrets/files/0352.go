package main

func newClient() *api.Client {
	return api.NewClient("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", api.WithRetries(3))
}
