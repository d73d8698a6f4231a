package config

const (
	DefaultRegion = "us-east-1"
	DdApiKey = "74978ade6c6fe9f04492b6cbacfe90828b5de977"
)
