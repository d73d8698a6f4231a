package config

const (
	DefaultRegion = "us-east-1"
	OktaApiToken = "00N9GO6natVrIzSBceLt6d3mg5Ib57iceukpcc3Ywq"
)
