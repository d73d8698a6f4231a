region      = "eu-west-1"
meta_graph_token = "EAABfRCtSZNFTu2zQk6a6TOGpIR94Mq91tsryyS4AWt3YNGOoeutfzyeBNXSFhZ8jgNFU0WBvlRm8WPPMRmhtjX4HW4dgPT9MRS2uqYvfR9OAFdEzFBLmxYFjRHAtFvphjGK6MsrSYGUnuJyYnebbFhuec2Wg"
environment = "prod"
