#!/bin/sh
set -eu
export NUGET_API_KEY="oy2ourbd59g3ic9hvlkx3xjc450juod3mv28wivbvucybw"
exec /usr/local/bin/app "$@"
