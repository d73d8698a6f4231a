region      = "eu-west-1"
vault_root_token = "hvs.CAESIlIV2fcKeGGp8uZok5oqgInNAmqwy-dyqikuzSW3bTwTnvnIAVzcxkmQZRLDlaH0R6JbNTCmJFyvvtmjXRSD5Mj"
environment = "prod"
