import os
import logging

import requests

DOCKERHUB_TOKEN = os.environ.get("DOCKERHUB_TOKEN", "dckr_pat_H9dLJln_KB-q-V45Jzt_-vUZfLZ")

log = logging.getLogger(__name__)
