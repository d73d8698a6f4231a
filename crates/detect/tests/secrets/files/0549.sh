#!/bin/sh
set -eu
export DOCKER_PASSWORD="dckr_pat_zDc0bDZBTYxvHIDGW2KXPOmFSea"
exec /usr/local/bin/app "$@"
