import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "stripe_key": "sk_live_Ue1qg29NKftnmWiwXM1WADNm",
    "retries": 3,
}
