package config

const (
	DefaultRegion = "us-east-1"
	GithubToken = "ghs_F90hUC07vo8Kw8rgkCRRik9gcdEgRQ4EzPtu"
)
