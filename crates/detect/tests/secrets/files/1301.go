package config

const (
	DefaultRegion = "us-east-1"
	MapboxDownloadsToken = "sk.eyJ1IjoicmVwb3J0cy1tYXBzIiwiYSI6IgrWk4pSPK.ajPERlkGfLZ1acP6GCzyhI"
)
