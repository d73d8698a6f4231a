package main

func newClient() *api.Client {
	return api.NewClient("xoxa-2-8680556443-91478096918-9092283028-98dcb6b3d2d2f884252e8a22a758f919a0478e9da4a8042f4d4ad513ed90a171", api.WithRetries(3))
}
