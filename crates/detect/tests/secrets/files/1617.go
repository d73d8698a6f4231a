package config

const (
	DefaultRegion = "us-east-1"
	DbPassword = "Tr0ub4dor&3xQ"
)
