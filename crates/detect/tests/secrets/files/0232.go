package config

const (
	DefaultRegion = "us-east-1"
	SquareAccessToken = "sq0csp-Nuhg26t1KungUzQ4Olzud-FGU414HUrLIU7_mDw6-Cz"
)
