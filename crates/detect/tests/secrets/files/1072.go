package config

const (
	DefaultRegion = "us-east-1"
	LinearToken = "lin_api_urOI7yKE9CNFg69wrRM6bSCt6M8pAvgmRQ5v8eJD"
)
