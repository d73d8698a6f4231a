package config

const (
	DefaultRegion = "us-east-1"
	ClaudeKey = "sk-ant-api03-U19cymvSVcPVXOeiReiWXXpmH7RaUqqQ3jczVFwfRUzpCazbBREcXjjOLuri33INpeuqEy4QLgb_T2cq5SJssIsGciIxIAA"
)
