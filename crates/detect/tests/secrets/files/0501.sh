#!/bin/sh
set -eu
export GEM_HOST_API_KEY="rubygems_3ebb05ab591b35f75d15de5d6d314330e9ddf0899b5c50e0"
exec /usr/local/bin/app "$@"
