region      = "eu-west-1"
confluent_api_secret = "irgw5DwXHyb9Bn4IxQqcia/SIZomd8KUOZhgNDkVSa8VFKNW2Ghmo0LuDAzucSGV"
environment = "prod"
