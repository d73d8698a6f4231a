region      = "eu-west-1"
smtp_password = "bc23c735f0a20b28e4e9dbd41d058e0b6b36e8ac01264ca2"
environment = "prod"
