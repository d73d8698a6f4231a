package config

const (
	DefaultRegion = "us-east-1"
	TfTokenAppTerraformIo = "3rjlcb4mwO9Npq.atlasv1.CfxluN6zEXKXyr45FKJ8bbJCwIXtJ1ifVjADlJgbGVpeMnsbvmTNKETNVPXJ2q9p1J1"
)
