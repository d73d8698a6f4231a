#!/bin/sh
set -eu
export TWITTER_CONSUMER_SECRET="cnXZVQLCfucveFWEwLcbhBhH6xa4Uwn1HclvleKAWmd3LANI4v"
exec /usr/local/bin/app "$@"
