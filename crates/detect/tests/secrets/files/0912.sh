#!/bin/bash
TOKEN='eff8c117397b5761c81fffed2c84d9a54234NRAL'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
