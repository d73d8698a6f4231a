import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer 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"
    return session
