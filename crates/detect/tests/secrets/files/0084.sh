#!/bin/sh
set -eu
export AZURE_CLIENT_SECRET="YXE7Q~EQFQi_w2RQ6fPHwgV06e_gyoAXcnViKdqo"
exec /usr/local/bin/app "$@"
