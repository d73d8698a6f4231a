import os
import logging

import requests

class Config:
    DEBUG = False
    DOPPLER_SERVICE_TOKEN = 'dp.st.dev.Z6ytRd10W4NuSsso5BItSCamlBLvIrJLun9vj41No6D'
    SQLALCHEMY_ECHO = False
