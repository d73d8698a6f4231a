region      = "eu-west-1"
new_relic_api_key = "NRAK-EVU9D3YXJO1C14JSN4VY9Z9K8SJ"
environment = "prod"
