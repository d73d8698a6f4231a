#!/bin/bash
TOKEN='6fed058334b8430fba1fb49519822c29dc6dNRAL'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
