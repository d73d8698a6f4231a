import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "openai_api_key": "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",
    "retries": 3,
}
