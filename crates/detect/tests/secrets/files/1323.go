package config

const (
	DefaultRegion = "us-east-1"
	GfToken = "glc_eyJvIjoiNTMzMjM4IiwibiI6InN0YWNrLTk4Mzg2Ny1obS1yZWFkIiwiayI6Inh1cUNoeWNHRXJLQ0Q3Tk1CNnlOWXQ3eCIsIm0iOnsiciI6InByb2QtZXUtd2VzdC0wIn19"
)
