import os
import logging

import requests

class Config:
    DEBUG = False
    NEW_RELIC_LICENSE_KEY = 'NRII-JEhbBR-w3lPbjfefNYjt2kuV9JZgMswU'
    SQLALCHEMY_ECHO = False
