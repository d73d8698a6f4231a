package config

const (
	DefaultRegion = "us-east-1"
	NewRelicLicenseKey = "3545915cb41a0fdabfb539e76d0282c8c274NRAL"
)
