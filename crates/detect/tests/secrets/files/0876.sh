#!/bin/sh
set -eu
export ALICLOUD_SECRET_KEY="1rTtEv5fOcVIPBMnMkrxdyci79CdZF"
exec /usr/local/bin/app "$@"
