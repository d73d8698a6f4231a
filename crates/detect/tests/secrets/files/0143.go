package config

const (
	DefaultRegion = "us-east-1"
	GitlabToken = "glft-dr5brNy0ozIT0BruPVJR"
)
