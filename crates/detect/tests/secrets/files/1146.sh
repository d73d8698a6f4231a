#!/bin/sh
set -eu
export SONARQUBE_TOKEN="sqa_6d304d42e3f6d029d7961806c7dda7972846bf2a"
exec /usr/local/bin/app "$@"
