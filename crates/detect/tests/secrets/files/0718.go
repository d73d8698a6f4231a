package main

func newClient() *api.Client {
	return api.NewClient("hvs.CAESI5H3yVQFzcnPDr2z7hv_3uDfS8w95PtcSYvAzI8rtrIDybH6pcLiWnJJxlOeNDR-pdXIfBKzqiEKM2vpKv8Y9h6", api.WithRetries(3))
}
