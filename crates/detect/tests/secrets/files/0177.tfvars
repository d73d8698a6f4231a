region      = "eu-west-1"
slack_refresh_token = "xapp-1-AF481MWMIH0-7145972359953-1e1b569bc5fdb8b2b38880cc108b8c056ae7dfbd7b0bdd5df1ce390d5368d251"
environment = "prod"
