import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer 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"
    return session
