import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "confluence_api_token": "BJGpxYq2oPFp3fuq6FLFIZbg",
    "retries": 3,
}
