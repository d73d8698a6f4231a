package config

const (
	DefaultRegion = "us-east-1"
	GcpKey = "AIzaGZSHXSQYgOb5qcuNqAKAb_Hr0one8G8gLxB"
)
