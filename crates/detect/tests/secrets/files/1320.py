import os
import logging

import requests

GF_TOKEN = os.environ.get("GF_TOKEN", "glc_eyJvIjoiNTI4MTQ2IiwibiI6InN0YWNrLTQ0MDQyNi1obS1yZWFkIiwiayI6IlU5b3F3SEdTNm16OTVkdnBWR1FyVGRtYSIsIm0iOnsiciI6InByb2QtZXUtd2VzdC0wIn19")

log = logging.getLogger(__name__)
