#!/bin/sh
set -eu
export heroku_api_key="e25b09a6-ad30-4eb3-811c-cc6d212e524d"
exec /usr/local/bin/app "$@"
