#!/bin/sh
set -eu
export SENDGRID_API_KEY="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"
exec /usr/local/bin/app "$@"
