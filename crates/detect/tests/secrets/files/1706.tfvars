region      = "eu-west-1"
facebook_app_token = "3498462372188300|JiOX6ds1e5wzpg_rfmAjA6rXbSm"
environment = "prod"
