#!/bin/sh
set -eu
export DOPPLER_SERVICE_TOKEN="dp.ct.mnYQbPHunSwVD2FBnsNBFKiL3LD2q20kXXQerEsJcQC"
exec /usr/local/bin/app "$@"
