region      = "eu-west-1"
app_config_connection = "Endpoint=https://billing-cfg.azconfig.io;Id=SGYh-l0-s0:DdkOSaQmZM+hPjSLuAZK;Secret=9l6Gta5eCz96In3kW9SnBnxABmr2WxQMq7tBqL5bvKw="
environment = "prod"
