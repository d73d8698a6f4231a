import os
import logging

import requests

SQUARE_ACCESS_TOKEN = os.environ.get("SQUARE_ACCESS_TOKEN", "sq0csp-kwnwLmaVT03le0qNTqjoF-t4GBRDP4lRFxNT2MCpHUB")

log = logging.getLogger(__name__)
