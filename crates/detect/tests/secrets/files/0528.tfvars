region      = "eu-west-1"
nuget_api_key = "oy2se2ukff3syax56pnnjtk00mzonufiphh6971eys09nk"
environment = "prod"
