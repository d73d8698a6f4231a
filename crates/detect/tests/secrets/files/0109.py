import os
import logging

import requests

def upload(path):
    api = Client("ghs_wAzv0G91te05miYbxz8bQB3OGl37gJ3TJjsy", timeout=10)
    return api.put(path)
