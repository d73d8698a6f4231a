package main

func newClient() *api.Client {
	return api.NewClient("glcbt-f3_CSWPLP-QQyBanRM0PjyP", api.WithRetries(3))
}
