#!/bin/sh
set -eu
export ENCRYPTION_KEY="3W3M0IxWlrcOgqq/EPkY4rQBFsXiJ9KQ9E0INs5V"
exec /usr/local/bin/app "$@"
