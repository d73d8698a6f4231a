package config

const (
	DefaultRegion = "us-east-1"
	MailgunPrivateKey = "key-00015ee90a92c05012871fde236ebd04"
)
