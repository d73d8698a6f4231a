region      = "eu-west-1"
postman_api_key = "PMAK-d77e208b77e1b3a85f4245fc-cce6fb6318ed588fb863314d59245de86a"
environment = "prod"
