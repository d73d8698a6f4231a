#!/usr/bin/env bash
# Times `drydock image --scanners none` against syft and trivy (package listing only) on
# the same image in the same run, with `gzip -dc` of its layers as the floor.
#
# Usage: bench/inventory.sh [OCI_LAYOUT_DIR]   (default: $DRYDOCK_CORPUS/debian-app/oci)
# Env:   RUNS=5   ANCHORS=/tmp/anchors/bin (installed from ../shared/anchors when missing)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${DRYDOCK_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-ci/corpus}"
IMG="$(realpath "${1:-$CORPUS/debian-app/oci}")"
RUNS="${RUNS:-5}"
ANCHORS="${ANCHORS:-/tmp/anchors/bin}"
[ -f "$IMG/index.json" ] || { echo "not an OCI layout: $IMG (build the corpus: ../shared/images/build.sh)" >&2; exit 2; }
if [ ! -x "$ANCHORS/trivy" ] || [ ! -x "$ANCHORS/syft" ]; then
  bash "$HERE/../shared/anchors/install.sh" >/dev/null
fi
cargo build --release -q -p drydock --manifest-path "$HERE/Cargo.toml"
DRYDOCK="$HERE/target/release/drydock"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
export SYFT_CHECK_FOR_APP_UPDATE=false

# Layer blobs (and their compression) from the manifest of the first image in the index.
mapfile -t LAYERS < <(python3 - "$IMG" <<'PY'
import json, sys, os
root = sys.argv[1]
blob = lambda d: os.path.join(root, "blobs", *d.split(":"))
idx = json.load(open(os.path.join(root, "index.json")))
m = json.load(open(blob(idx["manifests"][0]["digest"])))
for l in m["layers"]:
    kind = "zstd" if l["mediaType"].endswith("zstd") else "gzip" if l["mediaType"].endswith("gzip") else "cat"
    print(kind, blob(l["digest"]))
PY
)

floor() {
  for l in "${LAYERS[@]}"; do
    set -- $l
    case $1 in gzip) gzip -dc "$2" ;; zstd) zstd -dcq "$2" ;; cat) cat "$2" ;; esac
  done > /dev/null
}

# Runs a command RUNS times; prints median wall seconds and max peak RSS (MB).
measure() {
  local name=$1; shift
  : > "$TMP/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$TMP/one" "$@" > /dev/null 2> "$TMP/err" || { echo "$name failed:"; cat "$TMP/err"; return 1; }
    cat "$TMP/one" >> "$TMP/times"
  done
  sort -n "$TMP/times" | awk -v n="$name" '{w[NR]=$1; if ($2>m) m=$2} END {printf "%-28s %8.3f s %8.1f MB\n", n, w[int((NR+1)/2)], m/1024}'
}

echo "image: $IMG ($(du -sh "$IMG" | cut -f1), ${#LAYERS[@]} layers), median of $RUNS runs, 2 cores"
printf '%-28s %10s %11s\n' tool wall "peak RSS"
measure "gzip -dc (floor)" bash -c "$(declare -p LAYERS); $(declare -f floor); floor"
measure "drydock --scanners none" "$DRYDOCK" image "$IMG" --scanners none --format json
measure "trivy --scanners '' " "$ANCHORS/trivy" image --input "$IMG" --cache-dir "$TMP/trivy" --cache-backend memory \
  --skip-db-update --skip-java-db-update --offline-scan --disable-telemetry --skip-version-check \
  --scanners "" --list-all-pkgs --format json
measure "syft" "$ANCHORS/syft" scan "oci-dir:$IMG" -q -o json
