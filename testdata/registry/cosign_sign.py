#!/usr/bin/env python3
"""Signs an image digest the way `cosign sign --key` does, written from cosign's
simple-signing format (no cosign code): an OCI layout whose manifest has one
`application/vnd.dev.cosign.simplesigning.v1+json` layer (the payload) with its base64
DER ECDSA-P256/SHA-256 signature in the `dev.cosignproject.cosign/signature` annotation.
Push it with `skopeo copy oci:OUT/layout:sig docker://HOST/REPO:sha256-<hex>.sig`.

usage: cosign_sign.py OUT DIGEST DOCKER_REFERENCE [--payload-digest D] [--tamper]
  OUT/cosign.key is reused when present (else made), OUT/cosign.pub written;
  --payload-digest signs a payload naming another digest; --tamper alters the payload
  after signing. Prints "FINGERPRINT sha256:<hex of the DER public key>".
"""
import argparse
import base64
import hashlib
import json
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("digest")
p.add_argument("reference")
p.add_argument("--payload-digest")
p.add_argument("--tamper", action="store_true")
a = p.parse_args()

os.makedirs(a.out, exist_ok=True)
key_path = os.path.join(a.out, "cosign.key")
if os.path.exists(key_path):
    with open(key_path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
else:
    key = ec.generate_private_key(ec.SECP256R1())
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                     serialization.PublicFormat.SubjectPublicKeyInfo)
with open(os.path.join(a.out, "cosign.pub"), "wb") as f:
    f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo))

payload = json.dumps({
    "critical": {
        "identity": {"docker-reference": a.reference},
        "image": {"docker-manifest-digest": a.payload_digest or a.digest},
        "type": "cosign container image signature",
    },
    "optional": None,
}, separators=(",", ":")).encode()
signature = base64.b64encode(key.sign(payload, ec.ECDSA(hashes.SHA256()))).decode()
if a.tamper:
    payload = payload.replace(b"docker-reference\":\"", b"docker-reference\":\"evil/")

layout = os.path.join(a.out, "layout")
os.makedirs(os.path.join(layout, "blobs", "sha256"), exist_ok=True)


def blob(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}


payload_desc = blob(payload)
config = json.dumps({
    "architecture": "", "os": "", "config": {},
    "rootfs": {"type": "layers", "diff_ids": [payload_desc["digest"]]},
}).encode()
manifest = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **blob(config)},
    "layers": [{
        "mediaType": "application/vnd.dev.cosign.simplesigning.v1+json",
        **payload_desc,
        "annotations": {"dev.cosignproject.cosign/signature": signature},
    }],
}).encode()
index = {"schemaVersion": 2, "manifests": [{
    "mediaType": "application/vnd.oci.image.manifest.v1+json", **blob(manifest),
    "annotations": {"org.opencontainers.image.ref.name": "sig"},
}]}
with open(os.path.join(layout, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(layout, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
print("FINGERPRINT sha256:" + hashlib.sha256(spki).hexdigest())
