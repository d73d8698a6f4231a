#!/bin/sh
set -eu
export PULUMI_ACCESS_TOKEN="pul-f3d394588f15c7f1ccdcdd0fa018c8875e91bd52"
exec /usr/local/bin/app "$@"
