import os
import logging

import requests

class Config:
    DEBUG = False
    SONARQUBE_TOKEN = 'sqp_9fbcaf0b9d9c6dc271df53507c6587c5ae0d99ac'
    SQLALCHEMY_ECHO = False
