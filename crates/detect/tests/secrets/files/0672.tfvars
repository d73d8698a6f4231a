region      = "eu-west-1"
hf_token    = "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"
environment = "prod"
