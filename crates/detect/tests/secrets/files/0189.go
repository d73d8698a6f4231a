package config

const (
	DefaultRegion = "us-east-1"
	SlackRefreshToken = "xoxp-480435027817-5986926596166-4453492570-587e205ec56dae684ca58884aa5168d9"
)
