#!/bin/sh
set -eu
export CLAUDE_KEY="sk-ant-api03-EJPOiuXWpSIOyYpRhOqbterkvgeLYCt6R1eBLvSs32UFxfpOD6Pj-tbMYkzDhe-tULJtKKJqcz0gpArXecfAFM2h7iSePAA"
exec /usr/local/bin/app "$@"
