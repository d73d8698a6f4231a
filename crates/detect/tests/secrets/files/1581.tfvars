region      = "eu-west-1"
spring_datasource_url = "mysql://app:U-Gjz_xi%2BK68aB@mq.internal/billing"
environment = "prod"
