import os
import logging

import requests

class Config:
    DEBUG = False
    GF_TOKEN = 'glsa_CgIkQY8Kp0oyWWxTNJy5CxFIL0yDj9GW_26796e01'
    SQLALCHEMY_ECHO = False
