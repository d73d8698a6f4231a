package config

const (
	DefaultRegion = "us-east-1"
	RegistryPassword = "dckr_pat_WMwUkH7cCg7p9SFRdkTRLF_NJeM"
)
