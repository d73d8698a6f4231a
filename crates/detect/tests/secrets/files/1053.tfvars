region      = "eu-west-1"
bb_token    = "ATBBvV5IGbFiwIOZikyx1QUUSfAd46E37220"
environment = "prod"
