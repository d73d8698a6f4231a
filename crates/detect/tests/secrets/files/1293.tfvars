region      = "eu-west-1"
mapbox_secret_token = "sk.eyJ1Ijoibm90aWZpZXItbWFwcyIsImEiOiIrvuxGuTV.Y9OfyEPg-K0DGToXDOpwME"
environment = "prod"
