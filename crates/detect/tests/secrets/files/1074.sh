#!/bin/bash
TOKEN='lin_api_0Q2pTdLd1BqDc4I8W1yJoiIiHgkR5tAOEjLTNX1t'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
