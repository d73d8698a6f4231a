package config

const (
	DefaultRegion = "us-east-1"
	SessionSecret = "S3cure!Passw0rd#42"
)
