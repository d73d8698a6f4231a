import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "dd_app_key": "8040743ff326d66d789f532bf069b1a0",
    "retries": 3,
}
