import os
import logging

import requests

class Config:
    DEBUG = False
    PULUMI_ACCESS_TOKEN = 'pul-1add1b0a63b18b0bb09732d89c38e289c2271eb3'
    SQLALCHEMY_ECHO = False
