#!/bin/sh
set -eu
export GRAFANA_CLOUD_TOKEN="glsa_2BiScDDb4NrKsRrHrJVRQUORjNVYXRwU_e3a5f284"
exec /usr/local/bin/app "$@"
