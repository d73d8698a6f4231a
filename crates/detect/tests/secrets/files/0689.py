import os
import logging

import requests

TF_TOKEN_app_terraform_io = "X8L3kMffz0zhwV.atlasv1.C2rXthYe01NpDC1iO2mvomEIkLHNbcxHA0uNqmIfAYasbhAuiU3Vi5hvkrcrTIFkYdg"

log = logging.getLogger(__name__)
