package config

const (
	DefaultRegion = "us-east-1"
	HuggingfacehubApiToken = "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"
)
