#!/usr/bin/env python3
"""A token server for distribution's `token` auth (docker/distribution token spec).

usage: token_server.py CERT_OUT USER PASSWORD ISSUER SERVICE
Makes a P-256 key and a self-signed certificate (written to CERT_OUT, for the
registry's `rootcertbundle`), prints "PORT <n>", then answers GET /token?service=&scope=
for requests with the right Basic credentials with an ES256 JWT carrying the certificate
in `x5c` and granting the scopes asked for. Anonymous or wrong credentials get 401.
"""
import base64
import datetime
import json
import secrets
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

CERT_OUT, USER, PASSWORD, ISSUER, SERVICE = sys.argv[1:6]

key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drydock test token signer")])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (
    x509.CertificateBuilder()
    .subject_name(name)
    .issuer_name(name)
    .public_key(key.public_key())
    .serial_number(x509.random_serial_number())
    .not_valid_before(now - datetime.timedelta(days=1))
    .not_valid_after(now + datetime.timedelta(days=30))
    .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    .sign(key, hashes.SHA256())
)
with open(CERT_OUT, "wb") as f:
    f.write(cert.public_bytes(serialization.Encoding.PEM))
x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(subject, access):
    header = {"typ": "JWT", "alg": "ES256", "x5c": [x5c]}
    t = int(time.time())
    claims = {"iss": ISSUER, "sub": subject, "aud": SERVICE, "exp": t + 300, "nbf": t - 10,
              "iat": t, "jti": secrets.token_hex(8), "access": access}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def scopes(values):
    """`repository:name:pull,push` (name may hold ':' for ports) -> access entries."""
    out = []
    for v in values:
        for scope in v.split(" "):
            kind, rest = scope.split(":", 1)
            repo, actions = rest.rsplit(":", 1)
            out.append({"type": kind, "name": repo, "actions": actions.split(",")})
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/token":
            return self.send(404, b"{}")
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.send(401, b'{"details":"bad or missing credentials"}')
        query = parse_qs(url.query)
        token = jwt(USER, scopes(query.get("scope", [])))
        self.send(200, json.dumps({"token": token, "access_token": token, "expires_in": 300}).encode())


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
