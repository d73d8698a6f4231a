#!/usr/bin/env bash
# Time and peak memory of `drydock image` at scale: one layer whose dpkg status lists
# 1,000,000 packages, and one layer of 1,000,000 empty files (1,000 directories of 1,000).
#
# Usage: bench/scale-rss.sh [DRYDOCK_BIN]   (default: target/debug/drydock)
#        bench/scale-rss.sh --formats [DRYDOCK_BIN [OLD_BIN]]
#
# --formats writes the 1,000,000-package image's inventory as JSON, CycloneDX and SPDX
# with each binary (`/usr/bin/time -v`, `--memory-budget-mib 0` so no binary is stopped),
# and says whether OLD_BIN's reports and DRYDOCK_BIN's are byte-identical once
# timestamps are masked: an SBOM writer that holds its whole document shows here.
# SCALE_FORMATS="html sarif" picks other formats.
set -euo pipefail
cd "$(dirname "$0")/.."
formats=
if [ "${1:-}" = --formats ]; then
  formats=1
  shift
fi
bin="${1:-target/debug/drydock}"
old_bin="${2:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$formats" <<'PY'
import hashlib, io, json, os, sys, tarfile
work, packages_only = sys.argv[1], sys.argv[2] == "1"

def layout(name, layer_path):
    out = f"{work}/{name}"
    os.makedirs(f"{out}/blobs/sha256")
    h = hashlib.sha256()
    with open(layer_path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    layer = {"mediaType": "application/vnd.oci.image.layer.v1.tar",
             "digest": "sha256:" + h.hexdigest(), "size": os.path.getsize(layer_path)}
    os.rename(layer_path, f"{out}/blobs/sha256/{h.hexdigest()}")
    def blob(data):
        d = "sha256:" + hashlib.sha256(data).hexdigest()
        open(f"{out}/blobs/sha256/{d[7:]}", "wb").write(data)
        return {"digest": d, "size": len(data)}
    config = json.dumps({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **blob(config)},
        "layers": [layer]}).encode()
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
        **blob(manifest)}]}, open(f"{out}/index.json", "w"))

def member(tar, name, data=b""):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))

os_release = b"ID=debian\nVERSION_ID=12\n"
status = "".join(
    f"Package: pkg{i}\nStatus: install ok installed\nVersion: 1.{i}-1\nArchitecture: amd64\n"
    f"Maintainer: A <a@example.invalid>\nDescription: package {i}\n\n" for i in range(1_000_000)).encode()
with tarfile.open(f"{work}/l1", "w", format=tarfile.GNU_FORMAT) as t:
    member(t, "etc/os-release", os_release)
    member(t, "var/lib/dpkg/status", status)
layout("dpkg-1m-packages", f"{work}/l1")
print(f"dpkg status: {len(status)} bytes")
if packages_only:
    sys.exit()

with tarfile.open(f"{work}/l2", "w", format=tarfile.GNU_FORMAT) as t:
    member(t, "etc/os-release", os_release)
    for d in range(1000):
        for f in range(1000):
            member(t, f"usr/share/d{d}/f{f}")
layout("files-1m", f"{work}/l2")
PY

if [ -n "$formats" ]; then
  image="$work/dpkg-1m-packages"
  printf '%-6s %-10s %4s %9s %8s %11s\n' binary format exit wall "RSS MB" bytes
  for f in ${SCALE_FORMATS:-json cyclonedx spdx-json}; do
    for which in new ${old_bin:+old}; do
      b=$bin
      [ "$which" = old ] && b=$old_bin
      set +e
      /usr/bin/time -v -o "$work/time.txt" "$b" image "$image" --scanners none --no-layer-cache \
        --memory-budget-mib 0 -f "$f" -o "$work/$which.$f" > /dev/null 2> "$work/err.txt"
      code=$?
      set -e
      wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$work/time.txt")
      rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
      printf '%-6s %-10s %4s %9s %8d %11s\n' "$which" "$f" "$code" "$wall" $((rss_kb / 1024)) \
        "$(stat -c %s "$work/$which.$f" 2>/dev/null || head -1 "$work/err.txt")"
    done
    if [ -n "$old_bin" ]; then
      python3 - "$work/old.$f" "$work/new.$f" "$f" <<'PY'
import itertools, re, sys
ts = re.compile(rb'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"')
with open(sys.argv[1], "rb") as a, open(sys.argv[2], "rb") as b:
    pairs = itertools.zip_longest(a, b, fillvalue=b"")
    same = all(ts.sub(b"T", x) == ts.sub(b"T", y) for x, y in pairs)
print(f"{sys.argv[3]}: old and new reports {'byte-identical' if same else 'DIFFER'} (timestamps masked)")
PY
      rm -f "$work/old.$f" "$work/new.$f"
    fi
  done
  exit
fi

# Inventory only, then with the secret and misconfiguration scanners (they want nearly
# every file), then with matching when a vulnerability DB is there (DRYDOCK_CACHE_DIR or
# the default cache).
printf '%-18s %-16s %4s %7s %8s %9s\n' case scanners exit seconds "RSS MB" packages
scanner_sets="none secret,misconfig"
"$bin" db status > /dev/null 2>&1 && scanner_sets="$scanner_sets vuln,secret,misconfig"
for dir in "$work"/*/; do
  name=$(basename "$dir")
  for scanners in $scanner_sets; do
    set +e
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" image "$dir" --scanners "$scanners" -f json --no-layer-cache \
      -o "$work/out.json" > /dev/null 2> "$work/err.txt"
    code=$?
    set -e
    read -r secs rss_kb < <(tail -1 "$work/time.txt")
    pkgs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$work/out.json" 2>/dev/null || head -1 "$work/err.txt")
    printf '%-18s %-16s %4s %7s %8d %9s\n' "$name" "$scanners" "$code" "$secs" $((rss_kb / 1024)) "$pkgs"
  done
done
