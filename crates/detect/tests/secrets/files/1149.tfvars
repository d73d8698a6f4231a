region      = "eu-west-1"
sonar_token = "squ_48859d98315bf77f32c12828fadaae21a7ae219e"
environment = "prod"
