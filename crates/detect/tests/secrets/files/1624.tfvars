region      = "eu-west-1"
admin_pass  = "VkKwre4DdavNsy+8zxMmBk8gaFKa9A4Xsc8s3V7U"
environment = "prod"
