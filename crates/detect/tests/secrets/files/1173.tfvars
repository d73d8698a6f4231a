region      = "eu-west-1"
okta_api_key = "00PocEBJS2zlXQ8yuaz1CDkAUSXvHprTRpbHbOsj8i"
environment = "prod"
