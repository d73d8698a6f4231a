#!/bin/bash
TOKEN='AKCp8karHPnIPOoPmblfvYQXOWAYJE8JsKIDZUaLnpxaO2KYSs5D9ZUgeNMjIlm3pPnxtgG4H'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
