import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "database_password": "pscale_tkn_oqX5EGnhhZ303JmAmRgP7b8zafaFqMs_f7reuukY8XX",
    "retries": 3,
}
