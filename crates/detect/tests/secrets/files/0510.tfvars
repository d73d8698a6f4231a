region      = "eu-west-1"
rubygems_api_key = "rubygems_15430f8a5e299716c5bfedea79549e1f75ecd576b6a74300"
environment = "prod"
