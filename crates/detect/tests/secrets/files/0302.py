import os
import logging

import requests

MAILGUN_API_KEY = "1fb4a9084afa70806e4611dc30261878-92584541-5747e6c2"

log = logging.getLogger(__name__)
