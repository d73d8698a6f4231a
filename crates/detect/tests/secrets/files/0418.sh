#!/bin/sh
set -eu
export DISCORD_WEBHOOK="https://discord.com/api/webhooks/7355794810717076440/d23s4kcZxfTnxikn-UAp3wVXAA4j3cX8FEHXfOVGf4_pVKChhr3xCdv1QE46UnGIfoqx"
exec /usr/local/bin/app "$@"
