package config

const (
	DefaultRegion = "us-east-1"
	AwsAccessKeyId = "AKIAR5GNUQSKW34RJARK"
)
