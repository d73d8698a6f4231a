import os
import logging

import requests

class Config:
    DEBUG = False
    OKTA_API_KEY = '00kF9nnguehOudwmZFiNZps8R99BPTRbV9vXsQQ-tt'
    SQLALCHEMY_ECHO = False
