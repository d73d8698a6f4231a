package main

func newClient() *api.Client {
	return api.NewClient("dp.st.stg.k7OXu4L6VKCoQ5Oyvm1urfDv1wMTpBn5p332KRchWyl", api.WithRetries(3))
}
