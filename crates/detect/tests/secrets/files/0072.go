package main

func newClient() *api.Client {
	return api.NewClient("ya29.a0rBIRhe5LlGgGZfRbeHtCMT2fI9l-259KAjqjcZE6kU__gbaPvgzLU9cZGsrZyXabE6Yc3tWVgiPNWW2VLShay4uGcOrfSJBXTlmm2gUJUe6GLWvQFfywWTn-GOy5YlYIH7I7--BEN93Lug8rLlOWju", api.WithRetries(3))
}
