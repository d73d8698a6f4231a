#!/bin/sh
set -eu
export ENCRYPTION_KEY="hunter2-Xk9!v"
exec /usr/local/bin/app "$@"
