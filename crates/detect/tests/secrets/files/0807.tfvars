region      = "eu-west-1"
fly_access_token = "FlyV1 fo1_an6g_hkQW-ZqXyYLny3cYGnmDthTDtN8zJauMZnlopC"
environment = "prod"
