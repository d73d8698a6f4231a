package config

const (
	DefaultRegion = "us-east-1"
	NpmToken = "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"
)
