region      = "eu-west-1"
gem_host_api_key = "rubygems_0ec5985a2d5d92540306f1acf05e361e68d3780f196f64dc"
environment = "prod"
