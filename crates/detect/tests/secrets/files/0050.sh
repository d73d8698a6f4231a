#!/bin/sh
set -eu
export YOUTUBE_API_KEY="AIzacGnLXbKY1m8V0QSiIZnBiDfJd67rNq0BGV4"
exec /usr/local/bin/app "$@"
