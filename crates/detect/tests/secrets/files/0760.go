package config

const (
	DefaultRegion = "us-east-1"
	PulumiAccessToken = "pul-0f62ecb7dd6ba232901199582d34950ba10b1114"
)
