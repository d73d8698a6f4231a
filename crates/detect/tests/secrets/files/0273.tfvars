region      = "eu-west-1"
twilio_auth_token = "a9a86b57d846c5f1336313b5373c1601"
environment = "prod"
