package main

func newClient() *api.Client {
	return api.NewClient("https://hooks.slack.com/services/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", api.WithRetries(3))
}
