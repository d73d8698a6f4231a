import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "vault_root_token": "hvb.AAAAAQgEEsBPYAetp76C-Ab2WI2YhMpZBjjaydbbbZWXJYIwyFjf5f-ja9DsXjRHmyRmo3AqusRKsS1T_MrJpR1d9eD0FsU0I9QZ2w1Vx-kxoLN6-bkPschObzSYmblxZVDnLEs0jJ",
    "retries": 3,
}
