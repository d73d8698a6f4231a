#!/bin/sh
set -eu
export PYPI_TOKEN="pypi-AgEIcHlwaS5vcmcxhNbrH5v3LhsGtVPRrQw6KWtwS-7CHht77eYvjh3ZnrFrsn77v5D52K2V8ozNggtpHi6sq4s4Bt-NKQNQt3ZSfT8k2P_cTXzPagzuKiE1mzbtpySXaqS6p2-RMXtxI8x-TiJE2F1gtJWOCRZxOcy98EH9TeZ0cSU"
exec /usr/local/bin/app "$@"
