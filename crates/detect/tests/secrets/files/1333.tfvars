region      = "eu-west-1"
anthropic_api_key = "sk-ant-api03-AUIjfMKA0f9BSfA1e7V3xzaMcahxzGj_1EWRDelHEf45wImkw6koDRAUsHjYVfqB39nydj9Grv3l8AcCFFpz6uJo-2S8iAA"
environment = "prod"
