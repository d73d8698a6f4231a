region      = "eu-west-1"
grafana_cloud_token = "glsa_s1NPBW1p1pvpWauTqmUUafIqkgKUjEi8_56cf580b"
environment = "prod"
