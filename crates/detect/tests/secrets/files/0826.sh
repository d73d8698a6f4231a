#!/bin/sh
set -eu
export PLANETSCALE_SERVICE_TOKEN="pscale_pw_cpGfVEEKX2Hnxz-u5uNl-q9vq-qztzzfh-vgmTH3Wtf"
exec /usr/local/bin/app "$@"
