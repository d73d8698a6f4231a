import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "confluent_api_secret": "5+lhW0JN9KtdWTmGOAZZk7brALqGk1wtwgZw1iErct0Qb7seT4X40O0NvrxroR07",
    "retries": 3,
}
