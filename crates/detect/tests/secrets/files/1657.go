package config

const (
	DefaultRegion = "us-east-1"
	BedrockApiKey = "ABSKQmVkcm9ja0FQSUtleS1zeHVuLWF0LTU2MzgzMjg4MjYzNDpGVGRBc2F2dTFpOHIwUnp3TkY3dzY2cllDYWVnd0tRY1JaMXA4bjN5VW84c3lWTTlCZkxReUlUenZER3I="
)
