package main

func newClient() *api.Client {
	return api.NewClient("ATATT3xFfGF0hUvBHU8k8LMF2FVmPlS4-Ny3BiY20uXJQYUjRJVUIE0yyO4RtKCMirQAAr0AHNNs3HLJEeHQPC-BwIMiEUaV9U8IRvyVSckX4tMjnoNYRjigR3UDxrunt9hHhyZn84QWxGs4OXwb18PcSyG3tjHf7AcAQBBDg9GllxqCa5HC6a6ZsuScEYHw=C093A1CA", api.WithRetries(3))
}
