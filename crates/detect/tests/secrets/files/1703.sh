#!/bin/sh
set -eu
export facebook_app_access_token="1669791682773708|WjLjz2G6UTiFrt8G2IKkklDCc-t"
exec /usr/local/bin/app "$@"
