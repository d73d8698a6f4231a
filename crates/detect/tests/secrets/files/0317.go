package config

const (
	DefaultRegion = "us-east-1"
	MailgunKey = "f1d949609dc3b15ea12c0f2cd03cc83a-d35a2240-20b94985"
)
