package config

const (
	DefaultRegion = "us-east-1"
	BotToken = "MTAzMDI4MzE4MTkzMTIzNzI5MQ.KeOK_Z.S8pBMiGXh3vB_-z4E9MQeziaRz3MwNiVFG6F_0"
)
