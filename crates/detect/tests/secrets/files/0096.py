import os
import logging

import requests

EXPORT_CONTAINER_URL = os.environ.get("EXPORT_CONTAINER_URL", "https://stsearch.blob.core.windows.net/exports?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-03-19T08:00:00Z&st=2025-08-09T10:00:00Z&spr=https&sig=F1tAJrkCxQ%2FOgc5iDbVRxCFPF2YbGPW8RVk7SKKPsX8%3D")

log = logging.getLogger(__name__)
