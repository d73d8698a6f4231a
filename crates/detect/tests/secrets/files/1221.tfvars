region      = "eu-west-1"
dropbox_access_token = "sl.BUOipASZrGOJr492WFpF-9Pjftpety4xZrLgiLqjOp1HJ56sbKxDQqSwx7qSSHzsvWBc1RAOsdivxGCdS5EZ0qRmmYNDE-5NhtCBcH0KdEZdLNjR2VCca84HaFoXMwL5DFebQPpQ8WT"
environment = "prod"
