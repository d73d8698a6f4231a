import os
import logging

import requests

def upload(path):
    api = Client("AKIAJR5AZM5TLYHHEUKE", timeout=10)
    return api.put(path)
