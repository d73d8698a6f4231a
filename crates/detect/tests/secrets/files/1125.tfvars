region      = "eu-west-1"
snyk_token  = "931b5c88-b149-472b-b735-92e66c53765d"
environment = "prod"
