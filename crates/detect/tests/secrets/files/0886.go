package config

const (
	DefaultRegion = "us-east-1"
	DdAppKey = "e5356935954da121c8b7a305a6555561439b924d"
)
