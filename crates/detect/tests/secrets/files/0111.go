package config

const (
	DefaultRegion = "us-east-1"
	GhToken = "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"
)
