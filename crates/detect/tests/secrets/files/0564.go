package config

const (
	DefaultRegion = "us-east-1"
	DockerPassword = "dckr_pat_G5ul06W7bTta9oiiawFWW-nfPQR"
)
