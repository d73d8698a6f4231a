region      = "eu-west-1"
nuget_api_key = "oy2ojh77iq4p2jwuyrpzxhhsl4ueo11m5zcc7nmmi69ajn"
environment = "prod"
