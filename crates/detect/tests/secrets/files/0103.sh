#!/bin/sh
set -eu
export AZURE_DEVOPS_PAT="1EVbDmzx5RtcTfhRognoGPcQwOJMyBSr916JjRSuzkalFNuvcywmJQQJ993Mhd7iMB5VryHTU0ozAZDOp6So"
exec /usr/local/bin/app "$@"
