import os
import logging

import requests

SQUARE_APPLICATION_SECRET = "sq0csp-qc6HDf3ly6XA1pIhEbWPuNuwfCbgI0OgCaefeoehwac"

log = logging.getLogger(__name__)
