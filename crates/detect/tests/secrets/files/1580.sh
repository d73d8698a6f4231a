#!/bin/sh
set -eu
export SPRING_DATASOURCE_URL="postgresql://app:acNlRvvhbv05ciGe@cluster0.eu-west-1.rds.amazonaws.com/notifier"
exec /usr/local/bin/app "$@"
