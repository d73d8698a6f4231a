package config

const (
	DefaultRegion = "us-east-1"
	PostmanApiKey = "PMAK-70b8d0e4446a63f4ff570adc-6bacf4311839c79dd932460419c79ae944"
)
