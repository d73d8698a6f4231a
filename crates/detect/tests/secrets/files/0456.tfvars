region      = "eu-west-1"
npm_token   = "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"
environment = "prod"
