import os
import logging

import requests

GEM_HOST_API_KEY = "rubygems_d71cc6a6c89a23407c9f94c7b50a8b2473718e347516a08e"

log = logging.getLogger(__name__)
