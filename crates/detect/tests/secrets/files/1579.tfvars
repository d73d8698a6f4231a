region      = "eu-west-1"
redis_url   = "rediss://app:%2BqpqKAFmyywZ%25iWJn%23@cluster0.prod.corp.net/billing"
environment = "prod"
