import os
import logging

import requests

OKTA_TOKEN = os.environ.get("OKTA_TOKEN", "00TQ5buBTlguu7jNyp_LviElkp71UyPyD0D9Fhe5Fz")

log = logging.getLogger(__name__)
