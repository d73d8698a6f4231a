#!/usr/bin/env bash
# Time and peak memory of `drydock rootfs` on each hostile case (the ones the tests build),
# with the not_covered reason it reports. Ceilings in RELIABILITY.md come from this script.
#
# Usage: bench/hostile-rss.sh [DRYDOCK_BIN]   (default: target/debug/drydock)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/drydock}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" testdata/rpmdb <<'PY'
import os, sqlite3, struct, sys
work, td = sys.argv[1], sys.argv[2]

def case(name, rel, data):
    path = os.path.join(work, name, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

def sqlite_db(sql):
    path = os.path.join(work, "tmp.sqlite")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.executescript(sql)
    con.commit()
    con.close()
    data = open(path, "rb").read()
    os.remove(path)
    return data

SQ = "var/lib/rpm/rpmdb.sqlite"
rec = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"
case("sqlite-view-no-rows", SQ, sqlite_db(f"CREATE VIEW Packages AS {rec} SELECT NULL AS blob FROM r WHERE i < 0;"))
case("sqlite-view-1mib-blobs", SQ, sqlite_db(f"CREATE VIEW Packages AS {rec} SELECT zeroblob(1048576) AS blob FROM r;"))
case("sqlite-generated-blob", SQ, sqlite_db(
    "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB AS (zeroblob(1048576)));"
    "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000) INSERT INTO Packages (hnum) SELECT i FROM r;"))
case("sqlite-default-amplified", SQ, sqlite_db(
    "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY);"
    "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000) INSERT INTO Packages (hnum) SELECT i FROM r;"
    f"ALTER TABLE Packages ADD COLUMN blob BLOB DEFAULT x'{'00' * 65536}';"))

ndb = bytearray(open(os.path.join(td, "sle15-bci/Packages.db"), "rb").read())
slots_end = struct.unpack_from("<I", ndb, 12)[0] * 4096
first = next(at for at in range(32, slots_end, 16) if struct.unpack_from("<I", ndb, at + 8)[0])
for at in range(32, slots_end, 16):
    ndb[at + 4:at + 16] = ndb[first + 4:first + 16]
case("ndb-254-slots-one-blob", "var/lib/rpm/Packages.db", bytes(ndb))

bdb = bytearray(open(os.path.join(td, "libuuid/Packages"), "rb").read())
page = 2 * 4096
pair = bdb[page + 26:page + 30]
for i in range(1, 1001):
    bdb[page + 26 + 4 * i:page + 30 + 4 * i] = pair
struct.pack_into("<H", bdb, page + 20, 2002)
case("bdb-1001-items-one-chain", "var/lib/rpm/Packages", bytes(bdb))
PY

printf '%-26s %4s %7s %8s  %s\n' case exit seconds "RSS MB" "not_covered / error"
for dir in "$work"/*/; do
  name=$(basename "$dir")
  set +e
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" rootfs "$dir" --scanners none -f json \
    -o "$work/out.json" > /dev/null 2> "$work/err.txt"
  code=$?
  set -e
  read -r secs rss_kb < "$work/time.txt"
  what=$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print("; ".join(n["reason"] for n in r["not_covered"] if n["scope"].startswith("/")) or "(none)")' "$work/out.json" 2>/dev/null || head -1 "$work/err.txt")
  printf '%-26s %4s %7s %8d  %s\n' "$name" "$code" "$secs" $((rss_kb / 1024)) "$what"
done
