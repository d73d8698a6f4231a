import os
import logging

import requests

MAPBOX_SECRET_TOKEN = "sk.eyJ1IjoiZ2F0ZXdheS1tYXBzIiwiYSI6IgUkrZsbXZ.r1nk1tGkEZro1iGKSlkKFu"

log = logging.getLogger(__name__)
