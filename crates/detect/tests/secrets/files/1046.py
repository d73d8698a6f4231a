import os
import logging

import requests

class Config:
    DEBUG = False
    BITBUCKET_APP_PASSWORD = 'ATBBPgYOhWrdQwDNZqgXKI9JYe5z5A6AEE8D'
    SQLALCHEMY_ECHO = False
