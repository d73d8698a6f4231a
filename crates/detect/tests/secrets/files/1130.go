package config

const (
	DefaultRegion = "us-east-1"
	SnykToken = "23621e5a-5c8c-4615-94e1-c93fdc670250"
)
