region      = "eu-west-1"
aws_secret_key = "47QHd/If5xBm/+NLfc0iz7yqW6x4hJm5RWCOrW7A"
environment = "prod"
