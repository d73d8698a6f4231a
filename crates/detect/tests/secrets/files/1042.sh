#!/bin/sh
set -eu
export JIRA_API_TOKEN="ZffVITiA3wL7xFGasdcnFPnv"
exec /usr/local/bin/app "$@"
