region      = "eu-west-1"
intra_secret = "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"
environment = "prod"
