region      = "eu-west-1"
pulumi_access_token = "pul-95b4ded454705081763fa91570c77a587bfdc90e"
environment = "prod"
