import os
import logging

import requests

SMTP_PASSWORD = "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"

log = logging.getLogger(__name__)
