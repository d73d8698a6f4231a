region      = "eu-west-1"
fly_access_token = "FlyV1 fo1_lBoxOOe_AFOxZdIfd-NdeJFGepB3s9JdneAonSyWGDE"
environment = "prod"
