import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "mc_key": "f3e57d77a2991514f2f0b70a8820ef7a-us16",
    "retries": 3,
}
