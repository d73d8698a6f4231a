import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "ci_deploy_password": "glptt-867aa9fd05a08730438c34b4bf4f6cb864dc4844",
    "retries": 3,
}
