region      = "eu-west-1"
jfrog_access_token = "cmVmdGtuOjAxOjkxNTkzOTc1MDU6cklNdTY3VnZ1ZGJSZ0JjYWF6RFBGQWhOdVpWaQ"
environment = "prod"
