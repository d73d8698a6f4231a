#!/bin/sh
set -eu
export POSTMAN_API_KEY="PMAK-198765367f12fc95afbd5070-e07368fd2d86c9a45367bc7c91e497be34"
exec /usr/local/bin/app "$@"
