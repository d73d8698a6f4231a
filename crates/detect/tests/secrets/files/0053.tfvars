region      = "eu-west-1"
youtube_api_key = "AIzayWuea27-C_GPwgwQLDfido8AwwyEFEQ1pXv"
environment = "prod"
