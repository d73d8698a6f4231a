package config

const (
	DefaultRegion = "us-east-1"
	AadClientSecret = "LGz7Q~MatwtONQk3~s7g3.JQGYzPr2CRbrIZYCCF"
)
