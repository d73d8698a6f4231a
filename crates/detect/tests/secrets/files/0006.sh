#!/bin/sh
set -eu
export AWS_ACCESS_KEY_ID="AKIA2BGK4ZNTQFFDMHV6"
exec /usr/local/bin/app "$@"
