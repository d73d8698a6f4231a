#!/bin/sh
set -eu
export MAILGUN_PRIVATE_KEY="4fff5b424d59a558eb01a0306dca5f1a-ce826b4e-605b2749"
exec /usr/local/bin/app "$@"
