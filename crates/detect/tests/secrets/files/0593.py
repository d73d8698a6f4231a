import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "heroku_api_key": "a815ae39-80ce-48be-958f-e76adaff9b9e",
    "retries": 3,
}
