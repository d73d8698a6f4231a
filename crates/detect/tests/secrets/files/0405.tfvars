region      = "eu-west-1"
discord_bot_token = "NzEzODQ1OTY3ODg2NDY3MTk5.Jpvi_M.pNu6O0gUBfdWe98JjRIWBDDk-cS"
environment = "prod"
