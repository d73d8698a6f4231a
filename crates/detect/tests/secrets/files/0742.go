package config

const (
	DefaultRegion = "us-east-1"
	PulumiAccessToken = "pul-b9a6ffe4b4a27220d945a21573bba60c1beb4140"
)
