import os
import logging

import requests

def upload(path):
    api = Client("dop_v1_5cbe8b4f95c3cca006a322d733a75e36194e90fe92d607bf49cf36f36c2bc9c6", timeout=10)
    return api.put(path)
