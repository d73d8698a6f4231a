#!/bin/sh
set -eu
export TWITTER_CONSUMER_SECRET="zwFlPnhMbd1E9UEEmcrLJ6JNw8ZgaDGF9WONG4S5IUGKGToiAO"
exec /usr/local/bin/app "$@"
