region      = "eu-west-1"
heroku_token = "HRKU-AASNFIlRNzQW1yM1ksVueEx4q7QNaM20x7XnSlDhoItvWj2mianTL_A5iu6i"
environment = "prod"
