#!/bin/sh
set -eu
export NPM_PUBLISH_TOKEN="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"
exec /usr/local/bin/app "$@"
