region      = "eu-west-1"
linear_api_key = "lin_api_5VJvBkh2lWz863jKgpCxYzaRZGX38AeXb2n71BMi"
environment = "prod"
