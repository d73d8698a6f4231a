import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "fly_api_token": "fo1_m0VKwAPFI2b8GQVf6Se4b4m5O3wShy3pQ8Wg_Uh0_al",
    "retries": 3,
}
