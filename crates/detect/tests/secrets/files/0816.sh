#!/bin/sh
set -eu
export PLANETSCALE_SERVICE_TOKEN="pscale_oauth_B-VI_AhuTIY4ITNr26lYxRIZUWoI719xXbKkvFsA6Lo"
exec /usr/local/bin/app "$@"
