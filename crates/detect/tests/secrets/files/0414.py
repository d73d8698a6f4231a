import os
import logging

import requests

ALERT_WEBHOOK_URL = "https://discord.com/api/webhooks/7780161016350393991/RkqbnmVXPqfeF5EWEdJKN5sg3waV4EMJn0dfSNZCNeM_5Wf8kwYuap2xPFkQvB3tnCoZ"

log = logging.getLogger(__name__)
