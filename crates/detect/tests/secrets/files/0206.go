package config

const (
	DefaultRegion = "us-east-1"
	StripeKey = "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"
)
