region      = "eu-west-1"
confluent_cloud_api_secret = "O/bY6/UfBJh6TQkGuoyN6s8v89rhKuSQ106gXgQ8GuNZpai93kNebvzf2ddqF5Wr"
environment = "prod"
