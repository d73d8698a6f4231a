region      = "eu-west-1"
twitter_api_key = "XGIskIfRXtkGyRmgRGpwgKvpu"
environment = "prod"
