package config

const (
	DefaultRegion = "us-east-1"
	SendgridApiKey = "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"
)
