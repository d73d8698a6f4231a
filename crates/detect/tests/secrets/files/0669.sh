#!/bin/sh
set -eu
export HF_TOKEN="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"
exec /usr/local/bin/app "$@"
