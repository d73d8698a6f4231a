region      = "eu-west-1"
release_token = "ghu_IgxxsXVWFPJNqpCKV5KbSNrZF9wy7I3l4rPT"
environment = "prod"
