#!/bin/sh
set -eu
export twilio_auth_token="df8e0a1ddc21b1c2494953afc965fafb"
exec /usr/local/bin/app "$@"
