region      = "eu-west-1"
azure_storage_connection_string = "DefaultEndpointsProtocol=https;AccountName=stgateway293;AccountKey=1YZupMH6s1a67/DO34lRWoY4JLL+rQPuWH7jNFrBFfTYSBVEeMfmBvgr6F/7SHDJxcIvUA/ldcVuayASr1EBMQ==;EndpointSuffix=core.windows.net"
environment = "prod"
