package main

func newClient() *api.Client {
	return api.NewClient("sha256~E5nmZhpCZE0oOa8M4QtwbAHcUcdrQIYnUlvxcuHIkss", api.WithRetries(3))
}
