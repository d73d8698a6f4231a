package config

const (
	DefaultRegion = "us-east-1"
	SnykToken = "d868538d-22eb-401e-bdf8-cd2f6baf7bbf"
)
