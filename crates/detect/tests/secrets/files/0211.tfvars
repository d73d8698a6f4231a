region      = "eu-west-1"
stripe_api_key = "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"
environment = "prod"
