#!/bin/sh
set -eu
export DATADOG_API_KEY="fc5cded4479b2f7903477656dcde964c39fab665"
exec /usr/local/bin/app "$@"
