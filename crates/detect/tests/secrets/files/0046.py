import os
import logging

import requests

class Config:
    DEBUG = False
    GOOGLE_API_KEY = 'AIzaLdmgjY62gVWSOxAW-nSO79Zc0PrxaKJVALC'
    SQLALCHEMY_ECHO = False
