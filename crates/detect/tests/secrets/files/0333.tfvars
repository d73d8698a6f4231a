region      = "eu-west-1"
mailchimp_api_key = "d5a7a0792eca8a08c67e492bf3c513c5-us13"
environment = "prod"
