#!/usr/bin/env bash
# Recall and precision of drydock's and trivy's secret scanners on the
# generated corpus (crates/detect/tests/corpus/generate.rs, fixed seed).
#
# Usage: bench/secrets-compare.sh [WORKDIR]   (default /tmp/secrets-compare)
# Env:   TRIVY (default /tmp/anchors/bin/trivy), SEED (default: the test's seed)
#
# Writes WORKDIR/{files/,truth.json,drydock.json,trivy.json,score.txt} and
# prints the per-family table (see bench/secrets-score.py for the matching).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${1:-/tmp/secrets-compare}
trivy=${TRIVY:-/tmp/anchors/bin/trivy}

[ -x "$trivy" ] || { echo "trivy not found at $trivy (bash /work/shared/anchors/install.sh)" >&2; exit 2; }

cd "$root"
cargo build --release -q -p drydock
rm -rf "$work"
mkdir -p "$work"
cargo run --release -q -p drydock-detect --example write_corpus -- "$work" ${SEED:+"$SEED"}

target/release/drydock fs "$work/files" --scanners secret --format json -q -o "$work/drydock.json"
# Secret scanning needs no vulnerability DB; stay offline.
"$trivy" fs --scanners secret --format json -q \
    --cache-dir /tmp/trivy-secret-cache --skip-db-update --offline-scan \
    --disable-telemetry --skip-version-check \
    -o "$work/trivy.json" "$work/files"

echo "drydock: $(target/release/drydock version | head -1); trivy: $("$trivy" --version 2>/dev/null | head -1)"
python3 "$here/secrets-score.py" "$work/truth.json" \
    drydock="$work/drydock.json" trivy="$work/trivy.json" | tee "$work/score.txt"
