import os
import logging

import requests

class Config:
    DEBUG = False
    LINEAR_TOKEN = 'lin_api_yfrIpc0Gb15QYB1SpNfCB5Vh8wYFm5MNG5hRGRmP'
    SQLALCHEMY_ECHO = False
