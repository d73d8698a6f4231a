package config

const (
	DefaultRegion = "us-east-1"
	TgToken = "198021341:AACqVe4QXKE4C3gbL25WkU6YM09Kq3CXwTf"
)
