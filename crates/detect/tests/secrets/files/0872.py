import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "aliyun_access_secret": "fzORE4OsK9IKctNa1SIBwJmKqydhHA",
    "retries": 3,
}
