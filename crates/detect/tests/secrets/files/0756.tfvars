region      = "eu-west-1"
pulumi_access_token = "pul-f634fffb430732299a7286b78441414f6e846b47"
environment = "prod"
