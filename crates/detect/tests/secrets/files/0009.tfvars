region      = "eu-west-1"
aws_access_key_id = "ASIAU3HPRPQ6PMQZCRIN"
environment = "prod"
