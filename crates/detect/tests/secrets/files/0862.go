package config

const (
	DefaultRegion = "us-east-1"
	AlibabaCloudAccessKeyId = "LTAI5tqFrzOLtHISEtnK1bd5"
)
