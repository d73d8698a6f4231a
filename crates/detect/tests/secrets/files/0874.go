package config

const (
	DefaultRegion = "us-east-1"
	AlicloudSecretKey = "NRyxUzYmZijV5JE9yGNBN16HiNvxv6"
)
