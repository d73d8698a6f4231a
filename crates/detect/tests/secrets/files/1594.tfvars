region      = "eu-west-1"
some_api_token_123 = "bU825LKHRp7tuDvYDxBDDjpfzvJDNFkCSyQQ65xn"
environment = "prod"
