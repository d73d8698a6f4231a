#!/bin/sh
set -eu
export SNYK_API_TOKEN="d717576f-d965-4858-ab20-4bcd2e1a5e4a"
exec /usr/local/bin/app "$@"
