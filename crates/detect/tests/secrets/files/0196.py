import os
import logging

import requests

ALERTS_WEBHOOK = os.environ.get("ALERTS_WEBHOOK", "https://hooks.slack.com/services/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")

log = logging.getLogger(__name__)
