package config

const (
	DefaultRegion = "us-east-1"
	SessionSecret = "gOu5v5hDxOfAnhEgyFP6X1RJMXhv0UmcAbxccz8t"
)
