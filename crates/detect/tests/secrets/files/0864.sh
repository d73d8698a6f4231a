#!/bin/bash
TOKEN='LTAI5t3pWhYDx7l93CCpQLI2'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
