#!/bin/sh
set -eu
export FT_CLIENT_SECRET="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"
exec /usr/local/bin/app "$@"
