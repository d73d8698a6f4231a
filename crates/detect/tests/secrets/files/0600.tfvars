region      = "eu-west-1"
heroku_api_key = "31ce6d1b-0a36-47d8-8821-508e3662551a"
environment = "prod"
