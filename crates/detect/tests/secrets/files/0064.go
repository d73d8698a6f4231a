package config

const (
	DefaultRegion = "us-east-1"
	GoogleClientSecret = "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"
)
