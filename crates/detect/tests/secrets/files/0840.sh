#!/bin/bash
TOKEN='sha256~X70cD1Ga7Jl2ihAV4ImdNNQXybQIONtW5_JMnPZj1IJ'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
