region      = "eu-west-1"
mailgun_private_key = "key-58dff1f4e6275885f5d5fcf2151f4347"
environment = "prod"
