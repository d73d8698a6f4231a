#!/usr/bin/env python3
"""Copies an OCI layout and adds one small layer on top, reusing every existing blob
byte for byte, as a registry sees an application rebuilt on an unchanged base (`docker
build` pushes only the new layer). Used by registry-speed.sh for the warm-base case.

    bench/add-layer.py SRC_LAYOUT DST_LAYOUT
"""
import gzip, hashlib, io, json, os, shutil, sys, tarfile


def put(dst, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(dst, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest


def main(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    index = json.load(open(os.path.join(dst, "index.json")))
    desc = index["manifests"][0]
    blob = lambda d: open(os.path.join(dst, "blobs", "sha256", d.split(":")[1]), "rb").read()
    manifest = json.loads(blob(desc["digest"]))
    config = json.loads(blob(manifest["config"]["digest"]))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        body = b"1.0.1\n"
        info = tarfile.TarInfo("app/VERSION")
        info.size, info.mtime, info.mode = len(body), 1700000000, 0o644
        tar.addfile(info, io.BytesIO(body))
    diff_id = "sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()
    layer = gzip.compress(raw.getvalue(), mtime=0)
    config["rootfs"]["diff_ids"].append(diff_id)
    config.setdefault("history", []).append(
        {"created": "2026-12-02T00:00:00Z", "created_by": "/bin/sh -c echo 1.0.1 > /app/VERSION"})
    config_bytes = json.dumps(config, separators=(",", ":")).encode()
    manifest["config"] = {**manifest["config"], "digest": put(dst, config_bytes), "size": len(config_bytes)}
    manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                               "digest": put(dst, layer), "size": len(layer)})
    manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()
    index["manifests"][0] = {**desc, "digest": put(dst, manifest_bytes), "size": len(manifest_bytes)}
    json.dump(index, open(os.path.join(dst, "index.json"), "w"))


if __name__ == "__main__":
    main(*sys.argv[1:3])
