package config

const (
	DefaultRegion = "us-east-1"
	MailgunApiKey = "35de0a1b4e3dda1fb21697f37700d7ea-3d02dfd1-6c6850a0"
)
