import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "heroku_token": "HRKU-AA7gYBzfs0ES_xPx1cSIbtKZdHj5ZuLAsbSL5G9PNLcnyrVu_i9hiju5puL2",
    "retries": 3,
}
