package config

const (
	DefaultRegion = "us-east-1"
	StripeKey = "sk_live_x7eDvB7dsRFWaooHkfoHfIEF"
)
