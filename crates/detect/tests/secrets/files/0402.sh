#!/bin/sh
set -eu
export DISCORD_TOKEN="MTA4MzEyMDkyMDQyMzk3MDU1Nw.5MhC9m.7m-MeqVtuUx2OiBqDWICOGMAHWhMNrbdh4fCK3"
exec /usr/local/bin/app "$@"
