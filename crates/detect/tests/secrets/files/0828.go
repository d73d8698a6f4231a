package config

const (
	DefaultRegion = "us-east-1"
	PscaleToken = "pscale_oauth_LpE5aCv1hF2ldMiGG_wgB41FN-3CjSkuc9SlJkHw9ok"
)
