package config

const (
	DefaultRegion = "us-east-1"
	GfToken = "glsa_hQcDcPDGJkdUvgUxpn2e8SroPqIHR4LB_2881ee26"
)
