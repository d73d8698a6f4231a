import os
import logging

import requests

SETTINGS = {
    "timeout": 30,
    "twine_password": "pypi-AgEIcHlwaS5vcmcsgzGAtGPJ_ZNnAtrVub3brPuaGCAmz-F-lPXJi_VHT_leikUcPSzJ80NA1cUWBTsvCnMZnoycCkElR1GxHdttywuCLQvwe0SYOIZbe4nCT3Gldin0S7Q_tcx7FU5b4obtgsq5g",
    "retries": 3,
}
