package config

const (
	DefaultRegion = "us-east-1"
	MailchimpApiKey = "4a8f3b0d33483aa4bb0eb9cbd804d478-us14"
)
