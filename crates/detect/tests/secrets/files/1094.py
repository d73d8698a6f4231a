import os
import logging

import requests

POSTMAN_API_KEY = os.environ.get("POSTMAN_API_KEY", "PMAK-07588c315db50625c92964cb-47bd293887556103b5f671f29ac5973476")

log = logging.getLogger(__name__)
