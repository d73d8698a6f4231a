import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer SKa2e82a02d4f12c204256e1b625b62371"
    return session
