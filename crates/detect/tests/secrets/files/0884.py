import os
import logging

import requests

DATADOG_API_KEY = "7cb42386b59b1005426c3f6034d00fd0"

log = logging.getLogger(__name__)
