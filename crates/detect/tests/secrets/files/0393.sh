#!/bin/sh
set -eu
export BOT_TOKEN="5546819478:AAhE40jNhB4IrK4ME3BFTC8ZuZczOt9GTwt"
exec /usr/local/bin/app "$@"
