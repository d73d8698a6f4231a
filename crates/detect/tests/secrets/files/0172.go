package config

const (
	DefaultRegion = "us-east-1"
	SlackRefreshToken = "xoxb-055570316318-9802776460351-HDMBKLVct82zaUxtwLXnT8XU"
)
