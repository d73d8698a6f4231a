region      = "eu-west-1"
openshift_token = "sha256~L8Kv3HVcN8fOwoCb7qWwfIS4GBiXdZjVaSzAOsziT_e"
environment = "prod"
