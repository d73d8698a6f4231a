import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "twilio_auth_token": "07e2b9ec387f9268c41d0eec2b24219c",
    "retries": 3,
}
