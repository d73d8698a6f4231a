region      = "eu-west-1"
arm_client_secret = "dZ97Q~QVgJquG-SHEyZIA27VNU6GniW8Uu_cuaJ9"
environment = "prod"
