package config

const (
	DefaultRegion = "us-east-1"
	FlyApiToken = "fo1_-Iu2sbBLPa6oS58P-1lCVQVEFct1LoolSpBIJAgM5H8"
)
