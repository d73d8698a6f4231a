#!/usr/bin/env bash
# Wall time and peak RSS of `drydock fs --scanners secret` vs
# `trivy fs --scanners secret` on real trees: median of 3 runs after one
# untimed warm-up run (so both read from a warm page cache).
#
# Usage: bench/secrets-speed.sh [DIR...]
#   default DIRs: /tmp/nm-bench (project with node_modules/),
#                 /tmp/nm-bench/node_modules (the packages as the scan root),
#                 /usr/lib
# Build the node_modules tree first, e.g.:
#   npm install --prefix /tmp/nm-bench --no-audit --no-fund --ignore-scripts \
#     typescript @angular/core webpack eslint jest react-scripts aws-sdk googleapis next rxjs
#
# Both tools skip `node_modules/` directories for secrets by default, so
# scanning the project dir measures almost nothing; scanning the node_modules
# dir itself makes both read the top-level packages (and both still skip the
# nested `*/node_modules/*` trees): that is the like-for-like comparison.
# Env: TRIVY (default /tmp/anchors/bin/trivy), RUNS (default 3), BASE (another
# drydock binary, e.g. a release build of main, timed in the same run as
# `base` so that a rule change's cost shows as a ratio under the same load).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
trivy=${TRIVY:-/tmp/anchors/bin/trivy}
runs=${RUNS:-3}
[ "$#" -gt 0 ] || set -- /tmp/nm-bench /tmp/nm-bench/node_modules /usr/lib
[ -x "$trivy" ] || { echo "trivy not found at $trivy" >&2; exit 2; }

(cd "$root" && cargo build --release -q -p drydock)
drydock="$root/target/release/drydock"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Command line of a tool scanning $1 into the JSON report $2.
cmd() {
    case $1 in
    drydock) cmd=("$drydock" fs "$2" --scanners secret --format json -q -o "$3") ;;
    base) cmd=("$BASE" fs "$2" --scanners secret --format json -q -o "$3") ;;
    trivy) cmd=("$trivy" fs --scanners secret --format json -q
        --cache-dir /tmp/trivy-secret-cache --skip-db-update --offline-scan
        --disable-telemetry --skip-version-check --timeout 30m -o "$3" "$2") ;;
    esac
}
count() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if "Results" in d or "ArtifactName" in d:
    print(sum(len(r.get("Secrets") or []) for r in d.get("Results") or []))
else:
    print(len(d.get("secrets") or []))' "$1"
}

printf '%-28s %-8s %8s %8s %10s %8s  %s\n' DIR tool files wall_s peakRSS_MB findings "runs (wall s)"
for dir in "$@"; do
    [ -d "$dir" ] || { echo "skip $dir: not a directory" >&2; continue; }
    files=$(find "$dir" -type f | wc -l)
    for tool in drydock ${BASE:+base} trivy; do
        cmd "$tool" "$dir" "$tmp/out.json"
        "${cmd[@]}" # warm-up
        walls=() rss=()
        for _ in $(seq "$runs"); do
            /usr/bin/time -f '%e %M' -o "$tmp/time" "${cmd[@]}"
            read -r w m < "$tmp/time"
            walls+=("$w") rss+=("$m")
        done
        med_w=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
        med_m=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
        printf '%-28s %-8s %8s %8s %10s %8s  %s\n' "$dir" "$tool" "$files" "$med_w" \
            "$((med_m / 1024))" "$(count "$tmp/out.json")" "${walls[*]}"
    done
done
