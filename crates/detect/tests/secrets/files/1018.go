package config

const (
	DefaultRegion = "us-east-1"
	SentryToken = "52ab9f42854f7d08ba4ef9fb4b789ea0465173799b7527dc7a85386b5773f092"
)
