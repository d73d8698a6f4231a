#!/bin/sh
set -eu
export NUGET_API_KEY="oy29lfacop9i6lf976f3m32n3yty5c3an9qbamr8oy1n40"
exec /usr/local/bin/app "$@"
