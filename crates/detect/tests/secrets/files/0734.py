import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "vault_token": "s.F7aCMH2dpMQUsbtYTIHshbq3",
    "retries": 3,
}
