import os
import logging

import requests

RUBYGEMS_API_KEY = "rubygems_9ed6bd263464982108c7b155a411362f4b5b858d08f10e05"

log = logging.getLogger(__name__)
