import os
import logging

import requests

SLACK_BOT_TOKEN = os.environ.get("SLACK_BOT_TOKEN", "xoxb-8186233087-9139304839-TCE7eU95MBy5rNpx3sbrqoUK")

log = logging.getLogger(__name__)
