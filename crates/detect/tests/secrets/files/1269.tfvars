region      = "eu-west-1"
openai_api_key = "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"
environment = "prod"
