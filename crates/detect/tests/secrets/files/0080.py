import os
import logging

import requests

class Config:
    DEBUG = False
    AAD_CLIENT_SECRET = 'Gtl7Q~yHGC0N5D7_JxTFRWZL68AOYq42vluoY9-U'
    SQLALCHEMY_ECHO = False
