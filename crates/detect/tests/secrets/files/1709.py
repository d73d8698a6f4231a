import os
import logging

import requests

API42_SECRET = os.environ.get("API42_SECRET", "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")

log = logging.getLogger(__name__)
