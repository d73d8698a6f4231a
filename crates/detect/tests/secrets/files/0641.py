import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "databricks_pat": "dapi83a74e434ee88d6160c18a43ad99dcbc",
    "retries": 3,
}
