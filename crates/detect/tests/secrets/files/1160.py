import os
import logging

import requests

SONAR_LOGIN = "fde9ffa33bbd6fa39dd15a83836c315e463e58f9"

log = logging.getLogger(__name__)
