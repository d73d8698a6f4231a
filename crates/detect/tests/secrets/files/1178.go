package config

const (
	DefaultRegion = "us-east-1"
	OktaApiKey = "00DzGEgaWsEa8aaNf31zMwl8TYvPh-GIbsiPQ0pnNZ"
)
