region      = "eu-west-1"
smtp_password = "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"
environment = "prod"
