import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer fm2_KXNw+RyGXFPv2EEXwk+D5v22VRY1fWQTNnKZgZ6QX7GClTa80tUcWIBleuNuBj2kk4AgTByi/vvBzlwBw2npJPX7CrPGTCo0BqHu6notEEejL0TNgdanePmBKA8HmzMva4iylB51mcjIwb6Q4uDJLtU6q4Vaf1WX3/hrApe3gfctey08pS8ZSFcpwUAkNLQ9xLKATE//aCJ7G1pVj6nYNxNtsyTw+aWoOrTBE+nQkFJ346E4/mmCKfb92PbQUDWFErVBW682dc0cGIkCpbWsXlEm"
    return session
