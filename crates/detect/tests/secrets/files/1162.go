package config

const (
	DefaultRegion = "us-east-1"
	Sonar.Login = "02c3345f30aa7fd5eb5f864e2c08be87a0915311"
)
