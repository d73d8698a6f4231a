region      = "eu-west-1"
linear_token = "lin_api_DGHYzYnsa8i3FWZvRF8J3REP6AoowMF6otZdocVt"
environment = "prod"
