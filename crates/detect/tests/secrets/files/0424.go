package main

func newClient() *api.Client {
	return api.NewClient("AAAAAAAAAAAAAAAAAAAAAA016SAAAAAAAAaeYvFR%2BHgrG2rwVurrl8n8pTDkXKLdl%3DB8cj1BOfAAuas3TFQXNq7Ycz0697Tkil8qgCtNtShwEmxcXuTb", api.WithRetries(3))
}
