import os
import logging

import requests

def upload(path):
    api = Client("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", timeout=10)
    return api.put(path)
