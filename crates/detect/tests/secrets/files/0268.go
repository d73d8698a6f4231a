package config

const (
	DefaultRegion = "us-east-1"
	TwilioAuthToken = "37fadb28e167fcfb29ec4e46deb5f8e5"
)
