package config

const (
	DefaultRegion = "us-east-1"
	ShopifyApiSecret = "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"
)
