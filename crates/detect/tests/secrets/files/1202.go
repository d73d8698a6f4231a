package config

const (
	DefaultRegion = "us-east-1"
	ConfluentApiSecret = "xHbrPA+i1/HweMQQQV/8OfDShw9SwWkBSxYpeySJCnUkPW3lTaHTSn/sMkBLEd/G"
)
