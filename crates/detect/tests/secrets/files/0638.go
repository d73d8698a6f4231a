package config

const (
	DefaultRegion = "us-east-1"
	DoToken = "doo_v1_d46ca5ecd0611bf8b935243a1f2dbb96b7fcf062c431bc17a20163bd5505fafe"
)
