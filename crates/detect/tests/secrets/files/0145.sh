#!/bin/sh
set -eu
export GITLAB_TOKEN="glcbt-bc_fjoM7P7opZUq3rKl1_ME"
exec /usr/local/bin/app "$@"
