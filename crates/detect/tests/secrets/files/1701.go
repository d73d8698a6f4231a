package config

const (
	DefaultRegion = "us-east-1"
	FacebookAppAccessToken = "3548848681587756|w790bbVTN1NcgsYCIPAOa_ik2fN"
)
