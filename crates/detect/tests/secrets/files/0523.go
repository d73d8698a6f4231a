package config

const (
	DefaultRegion = "us-east-1"
	NugetApiKey = "oy2y6r25ep9nnlwttje1ow9hmtdhhbapkskvsbuam79a35"
)
