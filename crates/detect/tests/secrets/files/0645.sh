#!/bin/sh
set -eu
export DBX_TOKEN="dapi5de27032a26b7f89872bf6e6f4cdda65-2"
exec /usr/local/bin/app "$@"
