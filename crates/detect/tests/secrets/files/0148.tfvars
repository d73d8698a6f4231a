region      = "eu-west-1"
gitlab_token = "glcbt-03_Oxmgcq2m37PE7xP1gjz5"
environment = "prod"
