import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer dapifb76f893ba8e5adf27534d0dd86fe83f"
    return session
