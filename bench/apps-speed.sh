#!/usr/bin/env bash
# App-analyzer throughput: `drydock rootfs --scanners none` against `syft scan dir:` on
#   (a) a node_modules tree of ~100k files (npm install of a few large front-end packages),
#   (b) a ~2 GB tree of real jars (every jar > 100 kB on this machine, copied N times).
# Prints median wall seconds (with range) and max peak RSS over RUNS runs of each.
#
# Usage: bench/apps-speed.sh [npm|jar|all]     Env: RUNS=3 NM=/tmp/nm-bench JARS=/tmp/jar-bench
#        JAR_COPIES=6 SYFT=/tmp/anchors/bin/syft
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-3}"
NM="${NM:-/tmp/nm-bench}"
JARS="${JARS:-/tmp/jar-bench}"
JAR_COPIES="${JAR_COPIES:-6}"
SYFT="${SYFT:-/tmp/anchors/bin/syft}"
WHAT="${1:-all}"
export SYFT_CHECK_FOR_APP_UPDATE=false
[ -x "$SYFT" ] || bash "$HERE/../shared/anchors/install.sh" >/dev/null
cargo build --release -q -p drydock --manifest-path "$HERE/Cargo.toml"
DRYDOCK="$HERE/target/release/drydock"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

setup_npm() {
  [ -d "$NM/node_modules" ] && return
  npm install --prefix "$NM" --no-audit --no-fund --ignore-scripts \
    typescript @angular/core webpack eslint jest @babel/core react react-dom next \
    @aws-sdk/client-s3 @mui/material @mui/icons-material aws-sdk rxjs lodash >/dev/null
}

setup_jars() {
  [ -d "$JARS/1" ] && return
  mapfile -t src < <(find / -xdev -name '*.jar' -size +100k -type f -not -path "$JARS/*" 2>/dev/null)
  for n in $(seq "$JAR_COPIES"); do
    mkdir -p "$JARS/$n"
    for f in "${src[@]}"; do cp "$f" "$JARS/$n/$(echo "$f" | tr / _)"; done
  done
}

# measure NAME CMD...: RUNS runs; median wall (min-max) and max peak RSS.
measure() {
  local name=$1; shift
  : > "$TMP/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$TMP/one" "$@" > "$TMP/out" 2> "$TMP/err" || { echo "$name failed:"; tail -5 "$TMP/err"; return 1; }
    cat "$TMP/one" >> "$TMP/times"
  done
  sort -n "$TMP/times" | awk -v n="$name" '{w[NR]=$1; if ($2>m) m=$2} END {printf "%-34s %7.2f s (%.2f-%.2f) %8.1f MB\n", n, w[int((NR+1)/2)], w[1], w[NR], m/1024}'
}

tree() {
  local label=$1 dir=$2
  echo "== $label: $dir ($(find "$dir" -type f | wc -l) files, $(du -sh "$dir" | cut -f1))"
  measure "drydock rootfs --scanners none" "$DRYDOCK" rootfs "$dir" --scanners none --format json
  measure "syft scan dir: -o json" "$SYFT" scan "dir:$dir" -o json -q
}

case "$WHAT" in
  npm|all) setup_npm; tree "node_modules" "$NM" ;;&
  jar|all) setup_jars; tree "jars" "$JARS" ;;
esac
