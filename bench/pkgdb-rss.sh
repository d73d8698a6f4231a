#!/usr/bin/env bash
# Time and peak memory of `drydock image` on package databases written many times:
# one layer holding var/lib/dpkg/status 100,000 times (50 packages each), and 2,000
# layers each rewriting it (1,000 packages, one more per layer).
#
# Usage: bench/pkgdb-rss.sh [DRYDOCK_BIN]   (default: target/debug/drydock)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/drydock}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import hashlib, io, json, os, sys, tarfile
work = sys.argv[1]

def status(n, extra=0):
    return "".join(
        f"Package: pkg{i}\nStatus: install ok installed\nVersion: 1.{i}-{extra if i == n - 1 else 0}\n"
        f"Architecture: amd64\nMaintainer: A <a@example.invalid>\nDescription: package {i}\n\n"
        for i in range(n)).encode()

def member(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))

def layout(name, layers):
    out = f"{work}/{name}"
    os.makedirs(f"{out}/blobs/sha256")
    def blob(data):
        d = "sha256:" + hashlib.sha256(data).hexdigest()
        open(f"{out}/blobs/sha256/{d[7:]}", "wb").write(data)
        return {"digest": d, "size": len(data)}
    descs = [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **blob(l)} for l in layers]
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers",
        "diff_ids": [d["digest"] for d in descs]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **blob(config)},
        "layers": descs}).encode()
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
        **blob(manifest)}]}, open(f"{out}/index.json", "w"))

os_release = b"ID=debian\nVERSION_ID=12\n"
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
    member(t, "etc/os-release", os_release)
    small = status(50)
    for _ in range(100_000):
        member(t, "var/lib/dpkg/status", small)
layout("same-path-100k", [buf.getvalue()])

layers = []
for i in range(2000):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        if i == 0:
            member(t, "etc/os-release", os_release)
        member(t, "var/lib/dpkg/status", status(1000, i))
    layers.append(buf.getvalue())
layout("rewritten-2000-layers", layers)
PY

printf '%-24s %4s %7s %8s %9s\n' case exit seconds "RSS MB" packages
for dir in "$work"/*/; do
  name=$(basename "$dir")
  set +e
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" image "$dir" --scanners none -f json --no-layer-cache \
    -o "$work/out.json" > /dev/null 2> "$work/err.txt"
  code=$?
  set -e
  read -r secs rss_kb < <(tail -1 "$work/time.txt")
  pkgs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$work/out.json" 2>/dev/null || head -1 "$work/err.txt")
  printf '%-24s %4s %7s %8d %9s\n' "$name" "$code" "$secs" $((rss_kb / 1024)) "$pkgs"
done
