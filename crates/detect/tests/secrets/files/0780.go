package config

const (
	DefaultRegion = "us-east-1"
	DopplerServiceToken = "dp.sa.DW7DgnqXodq4ztyS1ZhexDmkt9lL6LVTPHYHljMFPrx"
)
