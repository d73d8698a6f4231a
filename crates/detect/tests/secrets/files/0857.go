package config

const (
	DefaultRegion = "us-east-1"
	OcToken = "sha256~6zRYgzgkZJBEZYvjT53EmmVJNjcm45kxmI4u7WQuWEG"
)
