import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "dropbox_token": "sl.BjTykjiXATqpKMTN90noBMims7tUC6vdT2Z7gTi9oJJ92DR3xQ14s3mxkExZ2gPJmuGLV5jK4w0MVOxKJkmSQmCWXWcKBpPD9Fl58k-epLSSdp85VQDeee4BmVoVkHwAzfL-9_yuJzK",
    "retries": 3,
}
