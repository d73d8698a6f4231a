package config

const (
	DefaultRegion = "us-east-1"
	MailchimpApiKey = "5253a3ba68f75cf549c889676bb34a59-us19"
)
