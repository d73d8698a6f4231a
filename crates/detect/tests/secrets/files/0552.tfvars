region      = "eu-west-1"
docker_password = "dckr_pat_KjWzpJp_C9b_b--Yy05bl8WSABR"
environment = "prod"
