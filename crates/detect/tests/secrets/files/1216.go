package config

const (
	DefaultRegion = "us-east-1"
	DropboxAccessToken = "sl.BtcS2n5dlKhWK1X7d8mjgGVQFKdxcm7fSFJaBxjOAAafm0ZcxKWN48RIchWw7kYa62pvgAYDBYNhBBeM9QHuYw3y3_c1hY-MrW8V_tvBcMXtoU0HL3p9TRMO31AwiYh8iuQ7hKUNGMI"
)
