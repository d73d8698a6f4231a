package config

const (
	DefaultRegion = "us-east-1"
	GlToken = "glrt-t2_dOsgfSUg9d7d9Fb-b-P6L2M6NgpvOjF0Y20KdTozcTk0aBI.01.1b0szt0g3"
)
