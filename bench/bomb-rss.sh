#!/usr/bin/env bash
# Time and peak memory of `drydock image` on compression bombs: an OCI layout whose one
# gzip layer is a tar of a 150 GB file of zeros (2,236 concatenated gzip members of 64 MiB
# of zeros each, 145 MB in all; a valid multi-member gzip). Rows: the default limits; the
# ratio off so the scan timeout stops it; the ratio off and a 10 GiB layer cap, whose
# time, scaled by 15, is what reading the whole bomb costs.
#
# Usage: bench/bomb-rss.sh [DRYDOCK_BIN]   (default: target/debug/drydock)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/drydock}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/bomb" <<'PY'
import gzip, hashlib, json, os, sys, tarfile
out = sys.argv[1]
os.makedirs(f"{out}/blobs/sha256")
size = 150_000_000_000
piece = 64 << 20
info = tarfile.TarInfo("zeros")
info.size = size
head = info.tobuf(format=tarfile.GNU_FORMAT)
zeros = -(-size // 512) * 512 + 1024
member = gzip.compress(bytes(piece), 9, mtime=0)
h = hashlib.sha256()
with open(f"{out}/layer", "wb") as f:
    def put(b):
        h.update(b)
        f.write(b)
    put(gzip.compress(head, 9, mtime=0))
    for _ in range(zeros // piece):
        put(member)
    put(gzip.compress(bytes(zeros % piece), 9, mtime=0))
layer = "sha256:" + h.hexdigest()
layer_size = os.path.getsize(f"{out}/layer")
os.rename(f"{out}/layer", f"{out}/blobs/sha256/{layer[7:]}")
def blob(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    open(f"{out}/blobs/sha256/{d[7:]}", "wb").write(data)
    return {"digest": d, "size": len(data)}
config = json.dumps({"architecture": "amd64", "os": "linux",
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
manifest = json.dumps({"schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **blob(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": layer, "size": layer_size}]}).encode()
index = {"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", **blob(manifest)}]}
json.dump(index, open(f"{out}/index.json", "w"))
print(f"bomb layer: {layer_size} bytes of gzip, {512 + zeros} bytes of tar")
PY

run() {
  local name=$1; shift
  set +e
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" image "$work/bomb" --scanners none \
    -f json -o "$work/out.json" "$@" > /dev/null 2> "$work/err.txt"
  local code=$?
  set -e
  read -r secs rss_kb < <(tail -1 "$work/time.txt")
  printf '%-34s %4s %7s %8d  %s\n' "$name" "$code" "$secs" $((rss_kb / 1024)) "$(head -1 "$work/err.txt" | sed 's/.*: layer 0 ([^)]*): //')"
}
printf '%-34s %4s %7s %8s  %s\n' case exit seconds "RSS MB" error
run "defaults"
run "ratio off, --scan-timeout 5s" --max-inflate-ratio 1000000000 --scan-timeout 5s
run "ratio off, --max-layer-mib 10240" --max-inflate-ratio 1000000000 --max-layer-mib 10240
