import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer 2547252457:AAnTdm3Eg5tFpq7LlJF1Je5QohsEOCwSHV_"
    return session
