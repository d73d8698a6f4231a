#!/bin/bash
TOKEN='sk.eyJ1IjoiY2hlY2tvdXQtbWFwcyIsImEiOiIR6XmumS2.C6qHjcWHXc0bDou5EWTkuw'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
