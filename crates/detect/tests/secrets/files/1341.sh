#!/bin/sh
set -eu
export CLAUDE_KEY="sk-ant-api03-zKf_02tSpCDCMddgSx7W7D8p62KRRe5xvHRfnXVsbfyXPMHMHIJbTrkp0d-FPV34inqf12eofjRyCP-gqQOwCq3wcLE0nAA"
exec /usr/local/bin/app "$@"
