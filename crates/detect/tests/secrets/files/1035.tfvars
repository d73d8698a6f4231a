region      = "eu-west-1"
atlassian_api_token = "ATATT3xFfGF04ALPXKWmlvCDEjmR_6jwcEPUOatxxle8xq0lgHVPYBhqUjjLX-9B3qeJ0xcM0qLIAYqMQzyCzJW49KZlQyrMpZ-zf0CzW_-t1-bUX6mz9ZFDAcgsyc_FyVh6DvhlfHim8b6FaE7_vY-cJoqDVP1btsG70LlhojHfvMLE9IeSj2v-vukEZGmK=A6ABA0A7"
environment = "prod"
