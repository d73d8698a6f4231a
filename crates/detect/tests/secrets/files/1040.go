package config

const (
	DefaultRegion = "us-east-1"
	JiraApiToken = "Rif6T4ixpe3tcTEuhgEiRjGN"
)
