#!/bin/sh
set -eu
export SENTRY_TOKEN="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"
exec /usr/local/bin/app "$@"
