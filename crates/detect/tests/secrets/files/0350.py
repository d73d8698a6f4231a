import os
import logging

import requests

SMTP_KEY = os.environ.get("SMTP_KEY", "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")

log = logging.getLogger(__name__)
