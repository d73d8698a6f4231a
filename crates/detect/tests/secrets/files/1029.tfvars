region      = "eu-west-1"
confluence_token = "ATATT3xFfGF0KqT6PMjfKVqEmLDHsuMoZVN4l6c8JV_Wf4WKki2C9GHiBGnf3F4B3xIB8HldWzUsFfsub_hS8DTlIBYrFavBcmAjKOyhZiiymCa-Lf43sa0L2CBF6jzpd0IwZCiyFweqYjc-5EqtOMXX2SB-d66J3tXYIfi0SMnspiZnnh63QMD9UrYjt5CU=E9F65B74"
environment = "prod"
