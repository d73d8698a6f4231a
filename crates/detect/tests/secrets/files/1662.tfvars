region      = "eu-west-1"
aws_bearer_token_bedrock = "ABSKQmVkcm9ja0FQSUtleS1tem5qLWF0LTQ1MDUzODI2MjE4Mjp5SE1LVFZFaWFIcUxpMEQ2MnBEWWQzSDdsTjNuMVU2aVUyekRNdkRjbzlML0FqUCs5OFJoTHFVU0NBMWw="
environment = "prod"
