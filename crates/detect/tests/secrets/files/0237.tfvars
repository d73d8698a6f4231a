region      = "eu-west-1"
square_access_token = "EAAA0SgUVqtf6kxiYivdok01YYB2R0R_w8K4UjUYkkvRXYBQ40uwVCGjKVotxVQq"
environment = "prod"
