region      = "eu-west-1"
nuget_api_key = "oy2skjuw7t8j0xgce0irfexpv00pcppj6vi5hd60v8nmls"
environment = "prod"
