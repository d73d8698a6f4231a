package config

const (
	DefaultRegion = "us-east-1"
	VaultToken = "s.MuTJPISmKd2HQh3pnDIXk2p3"
)
