import os
import logging

import requests

class Config:
    DEBUG = False
    PSCALE_TOKEN = 'pscale_tkn_fcrmKlXfIej0LMNuq55ntb2iZRCEb9LlGykcgjZZ_J4'
    SQLALCHEMY_ECHO = False
