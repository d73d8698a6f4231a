region      = "eu-west-1"
dd_api_key  = "f58e7aa56e8f18abc07c860016097f1fa8b7f100"
environment = "prod"
