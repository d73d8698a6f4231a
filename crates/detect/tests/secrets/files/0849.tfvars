region      = "eu-west-1"
oc_token    = "sha256~mJ4AwEl438kiLmoZyVjAwzxf1n0SB4xmOWbqr0qrqQP"
environment = "prod"
