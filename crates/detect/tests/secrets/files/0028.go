package config

const (
	DefaultRegion = "us-east-1"
	AwsSecretAccessKey = "oJWUlIT6AzhKJTAwJwPRx3WWnVZ5bx3xzea3vP/e"
)
