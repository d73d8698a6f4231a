import os
import logging

import requests

NUGET_API_KEY = os.environ.get("NUGET_API_KEY", "oy2yii256guj104mho1bvnx85hutacz2zmn1k72a86hagj")

log = logging.getLogger(__name__)
