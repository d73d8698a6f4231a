region      = "eu-west-1"
planetscale_service_token = "pscale_tkn_dUDnb23HEtoOedmcSdO-PlOseCfzWPh09GzP3OzMyjN"
environment = "prod"
