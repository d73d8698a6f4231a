region      = "eu-west-1"
databricks_pat = "dapidabdc3a92903f8538751f4202df091e0"
environment = "prod"
