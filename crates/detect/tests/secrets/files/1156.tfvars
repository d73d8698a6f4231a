region      = "eu-west-1"
sonarqube_token = "squ_af007e2c59026bbee8ad2e482d338c530468cb3a"
environment = "prod"
