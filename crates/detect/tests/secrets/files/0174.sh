#!/bin/bash
TOKEN='xoxp-204175211768-14278405558-20495780336-eb6c8fd4c2402c15ec140fa84e28f23b'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
