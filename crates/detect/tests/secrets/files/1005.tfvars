region      = "eu-west-1"
sentry_token = "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"
environment = "prod"
