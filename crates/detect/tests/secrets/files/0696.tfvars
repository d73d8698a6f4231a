region      = "eu-west-1"
atlas_token = "xifjoHBzpedSzA.atlasv1.FktUDmVJ29qXZ0aG7HIOn0Kkl99p5MyyND9axaTgLXRWPqDnrb31QUfkagrSVnxvnIr"
environment = "prod"
