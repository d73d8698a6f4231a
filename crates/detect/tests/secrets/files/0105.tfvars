region      = "eu-west-1"
azure_devops_ext_pat = "viCT0QRUbaX81umWrGOeZSSCpGc1rHh1g5tuyjhhBtoedfdtnPfqJQQJ9916YX1nZcPV5VRns2YeAZDOyadd"
environment = "prod"
