#!/bin/sh
set -eu
export MC_KEY="814c96c64914a96006837edbd1a0d9c4-us4"
exec /usr/local/bin/app "$@"
