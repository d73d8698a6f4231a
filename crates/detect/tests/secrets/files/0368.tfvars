region      = "eu-west-1"
sendinblue_api_key = "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"
environment = "prod"
