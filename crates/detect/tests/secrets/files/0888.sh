#!/bin/sh
set -eu
export DD_API_KEY="2b8dac3f405484394496ad96b83baf3ae9592fb9"
exec /usr/local/bin/app "$@"
