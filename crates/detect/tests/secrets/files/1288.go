package config

const (
	DefaultRegion = "us-east-1"
	MapboxSecretToken = "sk.eyJ1IjoicmVwb3J0cy1tYXBzIiwiYSI6IgOqGYpv-Z.2xfeyet-INGjGx52FSvyYg"
)
