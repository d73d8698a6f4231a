region      = "eu-west-1"
alibaba_cloud_access_key_secret = "bgNMLZY5x74BP0phFeBFiJtPGvqa9I"
environment = "prod"
