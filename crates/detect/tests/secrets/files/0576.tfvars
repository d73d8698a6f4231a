region      = "eu-west-1"
jfrog_access_token = "cmVmdGtuOjAxOjk1MzQ3NjczMDA6WjlmYllhT1BFd1VLa1B0Vk9ZUXNqczBLSVdYaQ"
environment = "prod"
