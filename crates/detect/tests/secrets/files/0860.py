import os
import logging

import requests

class Config:
    DEBUG = False
    ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI5tZheL51b3kvDjDtODXC'
    SQLALCHEMY_ECHO = False
