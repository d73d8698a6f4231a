import os
import logging

import requests

def upload(path):
    api = Client("sha256~0G4iPOP_sDcP6SmWmZNMA_UbHZ9cNtXkLmWcIPfvlFa", timeout=10)
    return api.put(path)
