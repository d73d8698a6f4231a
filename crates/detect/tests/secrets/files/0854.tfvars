region      = "eu-west-1"
kube_token  = "sha256~5A4bz2C_fDmlbk8-NdQt0MxJITJQFnXu6h-d6aa_Wtz"
environment = "prod"
