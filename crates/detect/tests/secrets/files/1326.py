import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer sk-ant-api03-3vXyIGH2mfVduMi-otAomvIfifvBM86BcZIbs5cDqo8w78zBGYhl6A9OmGFDVuemfjhEl8LBZJQyT-IutlXcGE7iPcr0QAA"
    return session
