import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "openai_api_key": "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",
    "retries": 3,
}
