import os
import logging

import requests

GF_TOKEN = "glsa_HBBW9nu3DLXL5BRF2WElPSmEL9h8i9qm_3d13d90c"

log = logging.getLogger(__name__)
