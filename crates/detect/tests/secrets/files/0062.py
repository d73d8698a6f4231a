import os
import logging

import requests

class Config:
    DEBUG = False
    OAUTH_CLIENT_SECRET = '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'
    SQLALCHEMY_ECHO = False
