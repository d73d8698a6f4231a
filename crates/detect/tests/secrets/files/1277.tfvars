region      = "eu-west-1"
openai_key  = "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"
environment = "prod"
