#!/bin/sh
set -eu
export GH_TOKEN="ghs_YtwGO4SmPlYPTW2bZ9G7cWzWgAT1D034XAxj"
exec /usr/local/bin/app "$@"
