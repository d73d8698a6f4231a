package config

const (
	DefaultRegion = "us-east-1"
	SnykApiToken = "fde468e0-d5a3-4ce1-975f-67e695f102a5"
)
