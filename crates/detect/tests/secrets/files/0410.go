package config

const (
	DefaultRegion = "us-east-1"
	BotToken = "OTE4MDQ3NDYzMjcxNjU0NjE4.LQ79lM.cm5MmMxB4pkRtEwRPPvNCnByLex"
)
