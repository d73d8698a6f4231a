package config

const (
	DefaultRegion = "us-east-1"
	GhPat = "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"
)
