import os
import logging

import requests

GH_PAT = "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"

log = logging.getLogger(__name__)
