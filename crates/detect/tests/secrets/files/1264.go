package config

const (
	DefaultRegion = "us-east-1"
	OpenaiKey = "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"
)
