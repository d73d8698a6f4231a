import os
import logging

import requests

DISCORD_TOKEN = os.environ.get("DISCORD_TOKEN", "OTMzODQ2ODU3NjkyODIxODk3.Jgj3sL.HMq1G1gFqKff8WeqJElC5UrEzRQM_WKxXBE3y5")

log = logging.getLogger(__name__)
