region      = "eu-west-1"
shopify_api_secret = "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"
environment = "prod"
