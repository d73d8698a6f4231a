region      = "eu-west-1"
digitalocean_access_token = "dop_v1_478665c0bab9f51fe7c53ee4720c615886a27cad2990c9c24d9521459d58e49c"
environment = "prod"
