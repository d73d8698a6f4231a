region      = "eu-west-1"
newsletter_api_key = "e0b6a783047c75e9789b548a8600c12c-us8"
environment = "prod"
