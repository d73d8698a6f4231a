region      = "eu-west-1"
some_api_token_123 = "ufLu%yC%XV"
environment = "prod"
