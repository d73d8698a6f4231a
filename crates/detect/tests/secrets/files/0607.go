package config

const (
	DefaultRegion = "us-east-1"
	HerokuApiToken = "HRKU-AAm225ZCk8zxVNej8LR6qGj1F76lI2nBAqlIsiifB71wG0DQ_uiIfPuFZvfO"
)
