#!/bin/sh
set -eu
export SNYK_API_TOKEN="2615b6bb-2eac-459c-af74-3eb1b9d35d8b"
exec /usr/local/bin/app "$@"
