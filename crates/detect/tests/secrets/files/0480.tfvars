region      = "eu-west-1"
twine_password = "pypi-AgEIcHlwaS5vcmcLFuMJZek4s2MkdYGwGw5xZCQbKcMafsXTxkgVDKPmykcBIo0he7NbD-B8Wpluc31VfRyQiNs4N8gUqqIsbDs09oZJwQHA41UaKmh7Z9-vEHfkrxtZ_tRW94xcw_NxFU5FPvc57hB6LCCj1KwYzses0bJr8vKblbH"
environment = "prod"
