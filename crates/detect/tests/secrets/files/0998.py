import os
import logging

import requests

SENTRY_TOKEN = "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"

log = logging.getLogger(__name__)
