import os
import logging

import requests

DBX_TOKEN = "dapif8e4264f4dcc811d7960afc243e3074d"

log = logging.getLogger(__name__)
