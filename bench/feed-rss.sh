#!/usr/bin/env bash
# Peak memory of `drydock db update` reading a Red Hat VEX archive larger than the 512 MiB
# a download held in memory may have: the repository's VEX fixtures plus a 700 MiB member
# of random bytes (not JSON, so skipped), zstd-compressed and served on 127.0.0.1.
#
# Usage: bench/feed-rss.sh [DRYDOCK_BIN...]   (default: target/debug/drydock)
set -euo pipefail
cd "$(dirname "$0")/.."
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(target/debug/drydock)
work=$(mktemp -d)
srv=""
trap '[ -n "$srv" ] && kill "$srv"; rm -rf "$work"' EXIT
mkdir -p "$work/srv/vex"
python3 - "$work" testdata/distro-advisories/redhat-vex <<'PY'
import os, sys, tarfile
work, docs = sys.argv[1], sys.argv[2]
with tarfile.open(f"{work}/a.tar", "w") as t:
    t.add(docs, arcname=".")
    info = tarfile.TarInfo("padding.bin")
    info.size = 700 << 20
    with open("/dev/urandom", "rb") as r:
        t.addfile(info, r)
PY
zstd -q -1 "$work/a.tar" -o "$work/srv/vex/csaf_vex_2099-04-01.tar.zst"
rm "$work/a.tar"
echo csaf_vex_2099-04-01.tar.zst > "$work/srv/vex/archive_latest.txt"
port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/srv" > /dev/null 2>&1 &
srv=$!
sleep 1
echo "archive: $(stat -c %s "$work/srv/vex/csaf_vex_2099-04-01.tar.zst") bytes"
for bin in "${bins[@]}"; do
  rm -rf "$work/cache"
  /usr/bin/time -f "$bin: %e s, %M KB peak RSS" "$bin" db update --cache-dir "$work/cache" \
    --source testdata/matcher/mirror/osv --feeds "$work/none" \
    --redhat-vex "http://127.0.0.1:$port/vex" 2>&1 | grep -E "Red Hat VEX|peak RSS" || true
  "$bin" db status --cache-dir "$work/cache" | grep "Red Hat VEX"
done
