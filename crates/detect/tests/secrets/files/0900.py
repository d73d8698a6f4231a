import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "datadog_api_key": "4b8798442c80c32a1af1138dc53bf1c9",
    "retries": 3,
}
