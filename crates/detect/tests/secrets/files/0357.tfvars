region      = "eu-west-1"
sendinblue_api_key = "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"
environment = "prod"
