import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "snyk_api_token": "e8cdd092-c2f8-4000-84ad-4cbf04132a12",
    "retries": 3,
}
