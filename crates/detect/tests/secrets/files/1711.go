package config

const (
	DefaultRegion = "us-east-1"
	Api42Secret = "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"
)
