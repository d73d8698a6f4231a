import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "google_access_token": "1//0K8txDVJdJkCklc4WoFKvj7003G9OjCmKzl2SxVxOAMRfI_mRiCEs2dZhevOJH5BBIKpb30utnMrIwzqL1wg5mzHI-84zZq1I1H3",
    "retries": 3,
}
