#!/usr/bin/env python3
"""A registry that serves one image from an OCI archive and misbehaves on purpose.

usage: misbehave.py ARCHIVE MODE LOG
Prints "PORT <n>" once listening on 127.0.0.1. Every request line goes to LOG (one
per line: METHOD PATH RANGE), so tests can check what the client asked for.

MODE:
  ok               a well-behaved registry (GET /v2/, manifests by tag or digest, blobs
                   with Range support)
  stall            accepts connections, never answers
  digest-mismatch  manifest bytes altered; Docker-Content-Digest still the original's
  long-layer       layer blobs carry 1000 extra bytes (Content-Length says so)
  long-chunked     the same without Content-Length (chunked transfer)
  redirect-loop    every blob request redirects to itself
  huge-layer       the manifest declares its first layer as 50 GB
  retry-after      the first two manifest requests get 429 with Retry-After: 1
  unavailable      every request gets 503
  reset-once       the first full layer download is cut off halfway
"""
import hashlib
import json
import socket
import sys
import tarfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARCHIVE, MODE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]

blobs = {}
with tarfile.open(ARCHIVE) as tar:
    for m in tar.getmembers():
        if m.isfile():
            data = tar.extractfile(m).read()
            if m.name.lstrip("./").startswith("blobs/sha256/"):
                blobs["sha256:" + m.name.rsplit("/", 1)[1]] = data
            elif m.name.lstrip("./") == "index.json":
                index = json.loads(data)

root = index["manifests"][0]
manifest = blobs[root["digest"]]
manifest_type = root["mediaType"]
layer_digests = [l["digest"] for l in json.loads(manifest)["layers"]]
original_digest = root["digest"]

if MODE == "huge-layer":
    doc = json.loads(manifest)
    doc["layers"][0]["size"] = 50 * 10**9
    manifest = json.dumps(doc).encode()
if MODE == "digest-mismatch":
    manifest = manifest + b" "
served_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()

lock = threading.Lock()
state = {"manifest_calls": 0, "reset_done": False}


def log(line):
    with lock, open(LOG, "a") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        log(f"GET {self.path} {self.headers.get('Range', '-')}")
        if MODE == "stall":
            time.sleep(3600)
            return
        if MODE == "unavailable":
            return self.send(503, b"down for maintenance\n")
        if self.path == "/v2/":
            return self.send(200, b"{}", [("Content-Type", "application/json")])
        parts = self.path.split("/")
        # /v2/<repo...>/manifests/<ref> or /v2/<repo...>/blobs/<digest>
        kind, ref = parts[-2], parts[-1]
        if kind == "manifests":
            return self.manifest(ref)
        if kind == "blobs":
            return self.blob(ref)
        self.send(404, b'{"errors":[{"code":"NOT_FOUND","message":"no route"}]}')

    def manifest(self, ref):
        with lock:
            state["manifest_calls"] += 1
            calls = state["manifest_calls"]
        if MODE == "retry-after" and calls <= 2:
            return self.send(429, b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
                             [("Retry-After", "1")])
        if ref.startswith("sha256:") and ref not in (served_digest, original_digest):
            return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
        header_digest = original_digest if MODE == "digest-mismatch" else served_digest
        self.send(200, manifest, [("Content-Type", manifest_type), ("Docker-Content-Digest", header_digest)])

    def blob(self, digest):
        if MODE == "redirect-loop":
            return self.send(307, b"", [("Location", self.path)])
        data = blobs.get(digest)
        if data is None:
            return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}')
        is_layer = digest in layer_digests
        if is_layer and MODE in ("long-layer", "long-chunked"):
            data = data + b"\0" * 1000
        if is_layer and MODE == "long-chunked":
            return self.chunked(data)
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            body = data[start:]
            return self.send(206, body, [("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")])
        if is_layer and MODE == "reset-once":
            with lock:
                first = not state["reset_done"]
                state["reset_done"] = True
            if first:
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
        self.send(200, data)

    def chunked(self, data):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i in range(0, len(data), 16384):
            piece = data[i:i + 16384]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients hanging up on purpose are the point of most modes


server = Server(("127.0.0.1", 0), Handler)
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
