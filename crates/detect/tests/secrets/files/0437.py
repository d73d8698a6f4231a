import os
import logging

import requests

TWITTER_CONSUMER_SECRET = os.environ.get("TWITTER_CONSUMER_SECRET", "2Bs9CLFELsI6XTYYi5Y9CV0KJEJ6xEH44nofnFFdHSKWENohPr")

log = logging.getLogger(__name__)
