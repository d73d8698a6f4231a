#!/bin/sh
set -eu
export NODE_AUTH_TOKEN="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"
exec /usr/local/bin/app "$@"
