package config

const (
	DefaultRegion = "us-east-1"
	HerokuApiKey = "4520e00b-a78b-4a7e-8ec5-3a1583f6d38c"
)
