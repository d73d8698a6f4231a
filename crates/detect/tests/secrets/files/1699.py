import os
import logging

import requests

FACEBOOK_APP_TOKEN = "8792165302424183|rbsDri5eAHrWYty499V2NPKXhtA"

log = logging.getLogger(__name__)
