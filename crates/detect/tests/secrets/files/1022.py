import os
import logging

import requests

def client():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer ATATT3xFfGF02ojK5VnJpPHhbRh8DPvenVijwMqCDoXvmBMTmBHrygg-tNq3VaSPlFUG_Rp9JSpyK1NBvthW6yZnbw8vFfbDxsLzQfFongB_AzhxcZuotl8IhEfnVx2pvP6wRfSxRU1g2MsrXEB68y634WNRyzi_4maHK4LbQiZVKIwSH3gvBM23QiuxZabX=922C3274"
    return session
