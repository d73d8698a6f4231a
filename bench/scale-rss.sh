#!/usr/bin/env bash
# Time and peak memory of `drydock image` at scale: one layer whose dpkg status lists
# 1,000,000 packages, and one layer of 1,000,000 empty files (1,000 directories of 1,000).
#
# Usage: bench/scale-rss.sh [DRYDOCK_BIN]   (default: target/debug/drydock)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/drydock}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import hashlib, io, json, os, sys, tarfile
work = sys.argv[1]

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

with tarfile.open(f"{work}/l2", "w", format=tarfile.GNU_FORMAT) as t:
    member(t, "etc/os-release", os_release)
    for d in range(1000):
        for f in range(1000):
            member(t, f"usr/share/d{d}/f{f}")
layout("files-1m", f"{work}/l2")
PY

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
