import os
import logging

import requests

class Config:
    DEBUG = False
    HUGGING_FACE_HUB_TOKEN = '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'
    SQLALCHEMY_ECHO = False
