import os
import logging

import requests

aws_secret_access_key = "4uTEWDwDleeVZaTB1OFSBxlca+JF+W3Ybbvq4rmB"

log = logging.getLogger(__name__)
