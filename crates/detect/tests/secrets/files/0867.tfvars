region      = "eu-west-1"
alicloud_access_key = "LTAI5tj2V4yblBR2Xfp7ktbh"
environment = "prod"
