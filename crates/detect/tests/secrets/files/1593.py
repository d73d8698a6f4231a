import os
import logging

import requests

DATABASE_URL = os.environ.get("DATABASE_URL", "mongodb+srv://admin:WnrsOrsMXl%3Dr@cluster0.abcde.mongodb.net/orders")

log = logging.getLogger(__name__)
