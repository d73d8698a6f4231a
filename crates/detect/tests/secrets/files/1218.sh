#!/bin/sh
set -eu
export DROPBOX_TOKEN="sl.BFZEDD9frYrL55HOhpnYEz-5JZUf6xBFZ-acAHkgOeXRjBAauqCwf5MDkH4AZoCS-5RglbVgtU032g8XOTnOIRglf4L_WSnBpjCzMLVyUi6foPUK4Mhio6aWlHGKK38r2ImdF9qFL89"
exec /usr/local/bin/app "$@"
