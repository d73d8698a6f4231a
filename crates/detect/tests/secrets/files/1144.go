package config

const (
	DefaultRegion = "us-east-1"
	SonarToken = "sqa_33d4b16b5367037e662eb718bcf188f6e13874d3"
)
