#!/bin/sh
set -eu
export TELEGRAM_BOT_TOKEN="406169325:AA_0LEU6_8ONDhooliWsdVg0HwnBK0QsCOc"
exec /usr/local/bin/app "$@"
