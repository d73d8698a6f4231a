package main

func newClient() *api.Client {
	return api.NewClient("https://discord.com/api/webhooks/9485356427506432004/_FJm6_OR552-Fi1_k8mS1q5TxxxBSoPFXzl1YHFx6ZHvJktTas9PyWQtIgtFQ2pHPkmG", api.WithRetries(3))
}
