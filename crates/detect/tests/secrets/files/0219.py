import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "stripe_api_key": "rk_test_91vWvfnB2P2ZIIIwhosYeVo9ORoaJwzTeEqr61IHpehwMO671fACdLwjOTIf2dTVegUPzyjbo1pVNnU4blU0WcSZgWjOegGgKsr",
    "retries": 3,
}
