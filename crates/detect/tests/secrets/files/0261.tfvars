region      = "eu-west-1"
twilio_api_sid = "SK3ab8dc140f8391b021b8e65909cef31a"
environment = "prod"
