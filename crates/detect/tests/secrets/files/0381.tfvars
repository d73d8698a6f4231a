region      = "eu-west-1"
tg_token    = "6028653425:AAD2IaRUgZlR1eU4YAM8OBKTHILqwUk7yNX"
environment = "prod"
