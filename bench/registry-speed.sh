#!/usr/bin/env bash
# Cold pull+scan from a local registry: `drydock image HOST/REPO:TAG` against
# `trivy image HOST/REPO:TAG` on the same registry in the same run, with peak RSS.
# The image (default: the corpus debian-app OCI layout) is pushed with skopeo to a
# docker-registry started here on 127.0.0.1 and stopped at the end. Neither tool keeps
# anything between cold runs (drydock with --no-layer-cache; trivy with
# --cache-backend memory), so every cold run downloads and analyses every layer.
# Warm: BASE (default: the corpus debian-slim layout, debian-app's base) is scanned into an
# empty layer cache first (not timed), then the image: only its own layers are pulled.
# The CI rebuild case is `bench/add-layer.py debian-app/oci /tmp/app-v2` (debian-app plus
# one small layer, every other blob reused) scanned with BASE=debian-app/oci.
#
# Usage: bench/registry-speed.sh [OCI_LAYOUT_DIR]
# Env:   RUNS=5  PORT=15700  ANCHORS=/tmp/registry-bench/anchors (trivy installed from
#        ../shared/anchors there when missing)  SCANNERS=none|vuln
#        DRYDOCK=path (skip the release build)  BASE=OCI_LAYOUT_DIR
#        (vuln needs DRYDOCK_DB_CACHE with a drydock DB and TRIVY_CACHE with db/trivy.db)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${DRYDOCK_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock-ci/corpus}"
IMG="$(realpath "${1:-$CORPUS/debian-app/oci}")"
RUNS="${RUNS:-5}"
PORT="${PORT:-15700}"
WORK="${WORK:-/tmp/registry-bench}"
ANCHORS="${ANCHORS:-$WORK/anchors}"
SCANNERS="${SCANNERS:-none}"
BASE="$(realpath "${BASE:-$CORPUS/debian-slim/oci}")"
[ -f "$IMG/index.json" ] || { echo "not an OCI layout: $IMG" >&2; exit 2; }
for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "needs $tool (.ci/run installs it)" >&2; exit 2; }
done
if [ ! -x "$ANCHORS/bin/trivy" ]; then
  WHEEL_DIR="$ANCHORS/wheels" bash "$HERE/../shared/anchors/install.sh" "$ANCHORS/bin" >/dev/null
fi
TRIVY="$ANCHORS/bin/trivy"
# DRYDOCK=path runs a binary built elsewhere (figures only count from a release build).
if [ -z "${DRYDOCK:-}" ]; then
  cargo build --release -q -p drydock --manifest-path "$HERE/Cargo.toml"
  DRYDOCK="$HERE/target/release/drydock"
fi

mkdir -p "$WORK"
TMP="$(mktemp -d "$WORK/run.XXXXXX")"
cat > "$TMP/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $TMP/storage
http:
  addr: 127.0.0.1:$PORT
EOF
docker-registry serve "$TMP/config.yml" > "$TMP/registry.log" 2>&1 &
REGISTRY_PID=$!
trap 'kill $REGISTRY_PID 2>/dev/null; wait $REGISTRY_PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/" && break; sleep 0.2; done
REF="127.0.0.1:$PORT/bench/$(basename "$(dirname "$IMG")"):bench"
skopeo copy -q --all --preserve-digests "oci:$IMG" "docker://$REF" --dest-tls-verify=false
BASE_REF="127.0.0.1:$PORT/bench/base:bench"
skopeo copy -q --all --preserve-digests "oci:$BASE" "docker://$BASE_REF" --dest-tls-verify=false

# Runs a command RUNS times; prints median wall seconds (min-max) and max peak RSS (MB).
measure() {
  local name=$1; shift
  : > "$TMP/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$TMP/one" "$@" > "$TMP/out" 2> "$TMP/err" \
      || { echo "$name failed:"; tail -5 "$TMP/err"; return 1; }
    cat "$TMP/one" >> "$TMP/times"
  done
  sort -n "$TMP/times" | awk -v n="$name" '{w[NR]=$1; if ($2>m) m=$2}
    END {printf "%-34s %7.2f s (%.2f-%.2f) %8.1f MB\n", n, w[int((NR+1)/2)], w[1], w[NR], m/1024}'
}

if [ "$SCANNERS" = vuln ]; then
  LAYERS="${DRYDOCK_DB_CACHE:?set DRYDOCK_DB_CACHE}"
  DD_SCAN=(--cache-dir "$LAYERS" --scanners vuln)
  TV_SCAN=(--cache-dir "${TRIVY_CACHE:?set TRIVY_CACHE}" --scanners vuln)
else
  LAYERS="$TMP/drydock-cache"
  DD_SCAN=(--cache-dir "$LAYERS" --scanners none)
  TV_SCAN=(--cache-dir "$TMP/trivy" --scanners "")
fi
echo "image: $REF from $IMG ($(du -sh "$IMG" | cut -f1)), scanners: $SCANNERS, median of $RUNS runs, $(nproc) cores"
measure "drydock image (registry, cold)" "$DRYDOCK" image "$REF" --insecure --image-src registry \
  --format json --no-layer-cache "${DD_SCAN[@]}"
# Warm: each run starts from a cache holding only the base image's layers.
: > "$TMP/times"
for _ in $(seq "$RUNS"); do
  "$DRYDOCK" "${DD_SCAN[@]:0:2}" cache clean > /dev/null
  "$DRYDOCK" image "$BASE_REF" --insecure --image-src registry --format json "${DD_SCAN[@]}" > /dev/null
  /usr/bin/time -f "%e %M" -o "$TMP/one" "$DRYDOCK" image "$REF" --insecure --image-src registry \
    --format json "${DD_SCAN[@]}" > /dev/null 2> "$TMP/err" || { tail -5 "$TMP/err"; exit 1; }
  cat "$TMP/one" >> "$TMP/times"
done
sort -n "$TMP/times" | awk '{w[NR]=$1; if ($2>m) m=$2}
  END {printf "%-34s %7.2f s (%.2f-%.2f) %8.1f MB\n", "drydock image (registry, warm base)", w[int((NR+1)/2)], w[1], w[NR], m/1024}'
"$DRYDOCK" "${DD_SCAN[@]:0:2}" cache status | grep "last scan"
# Rescan: the cache now holds every layer of the image (the manifest is still fetched).
measure "drydock image (registry, rescan)" "$DRYDOCK" image "$REF" --insecure --image-src registry \
  --format json "${DD_SCAN[@]}"
"$DRYDOCK" "${DD_SCAN[@]:0:2}" cache status | grep "last scan"
measure "trivy image (registry)" "$TRIVY" image "$REF" --insecure --image-src remote \
  "${TV_SCAN[@]}" --cache-backend memory --skip-db-update --skip-java-db-update --offline-scan \
  --disable-telemetry --skip-version-check --list-all-pkgs --format json
measure "drydock image (local layout)" "$DRYDOCK" image "$IMG" --format json --no-layer-cache \
  "${DD_SCAN[@]}"
