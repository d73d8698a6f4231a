import os
import logging

import requests

APP_SECRET = os.environ.get("APP_SECRET", "745c6e575b2142b6581320f1d237c446b7403c3ba543e54c")

log = logging.getLogger(__name__)
