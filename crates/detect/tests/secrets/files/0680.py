import os
import logging

import requests

HUGGING_FACE_HUB_TOKEN = os.environ.get("HUGGING_FACE_HUB_TOKEN", "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")

log = logging.getLogger(__name__)
