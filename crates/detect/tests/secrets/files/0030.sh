#!/bin/sh
set -eu
export AWS_SECRET_KEY="lKeoPIPc8WGzMrk4bvwuYpxKbqDeKiS7oG7F4VEj"
exec /usr/local/bin/app "$@"
