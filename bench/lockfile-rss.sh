#!/usr/bin/env bash
# Peak memory of `drydock fs` on generated package-lock.json files of growing size: with typed,
# borrowed parsing the peak should grow in proportion to the file (the buffered file itself plus
# the packages found), not at the ~8x of a serde_json::Value tree.
#
# Usage: bench/lockfile-rss.sh [DRYDOCK_BIN ...]   (default: target/debug/drydock)
# Prints one line per (binary, size): file MB, packages, peak RSS MB, RSS/file ratio. The
# 200,000-package file (93 MB) is over the 64 MiB JSON manifest limit: 0 packages, not_covered.
set -euo pipefail
cd "$(dirname "$0")/.."
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(target/debug/drydock)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm v3 entries as npm writes them: resolved URL, integrity hash, license, dependency ranges.
gen() {
  python3 - "$1" "$2" <<'PY'
import json, sys, hashlib, base64
n, out = int(sys.argv[1]), sys.argv[2]
pk = {"": {"name": "app", "version": "1.0.0", "dependencies": {"p0": "^1.0.0"}}}
for i in range(n):
    name = f"pkg-{i}"
    digest = base64.b64encode(hashlib.sha512(name.encode()).digest()).decode()
    pk[f"node_modules/{name}"] = {
        "version": f"1.{i % 50}.{i % 7}",
        "resolved": f"https://registry.npmjs.org/{name}/-/{name}-1.{i % 50}.{i % 7}.tgz",
        "integrity": f"sha512-{digest}",
        "license": "MIT",
        "dev": i % 3 == 0,
        "dependencies": {f"pkg-{(i + k) % n}": f"^1.{k}.0" for k in range(1, 4)},
        "engines": {"node": ">=14"},
    }
json.dump({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
           "packages": pk}, open(out, "w"), indent=2)
PY
}

for n in 25000 100000 130000 200000; do
  mkdir -p "$work/$n"
  gen "$n" "$work/$n/package-lock.json"
done
for bin in "${bins[@]}"; do
  for n in 25000 100000 130000 200000; do
    file="$work/$n/package-lock.json"
    mb=$(du -m "$file" | cut -f1)
    /usr/bin/time -v "$bin" fs "$work/$n" --scanners none -f json -o "$work/out.json" \
      2> "$work/time.txt" > /dev/null
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    pkgs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$work/out.json")
    awk -v b="$bin" -v mb="$mb" -v p="$pkgs" -v r="$rss_kb" \
      'BEGIN { printf "%s: %d MB lockfile, %d packages, peak RSS %d MB (%.1fx the file)\n", b, mb, p, r / 1024, r / 1024 / mb }'
  done
done
