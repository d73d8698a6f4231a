import os
import logging

import requests

JFROG_ACCESS_TOKEN = "cmVmdGtuOjAxOjg0MTczMzI1NDU6OXJ4dXFiZ1ZJOEZUNm96c20zcTAxNk10clNaag"

log = logging.getLogger(__name__)
