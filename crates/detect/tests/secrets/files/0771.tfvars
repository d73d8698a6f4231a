region      = "eu-west-1"
doppler_service_token = "dp.st.stg.BvW84X2qeqILXmH6ur9RgchEU4Fwz893ihmWTXwCjx0"
environment = "prod"
