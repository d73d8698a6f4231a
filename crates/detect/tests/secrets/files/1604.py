import os
import logging

import requests

class Config:
    DEBUG = False
    ADMIN_PASS = 'hunter2-Xk9!v'
    SQLALCHEMY_ECHO = False
