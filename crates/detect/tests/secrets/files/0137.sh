#!/bin/sh
set -eu
export GITHUB_TOKEN="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"
exec /usr/local/bin/app "$@"
