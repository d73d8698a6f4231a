package config

const (
	DefaultRegion = "us-east-1"
	Dsn = "jdbc:postgresql://app:hMjQ7A.%3DrLSc.@cluster0.internal/checkout"
)
