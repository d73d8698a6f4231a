#!/usr/bin/env python3
"""Package-level diff of drydock against syft on every image of the corpus.

For each OCI layout under CORPUS/*/oci (and every platform of a multi-arch index) it runs
`drydock image DIR --scanners none --format json` and `syft scan oci-dir:DIR -o json`,
normalises both to (type, name, version) and prints, per package type, what only drydock
found, what only syft found and how many both found.

Normalisation, so that only real differences remain:
  * types: drydock kind -> syft artifact type (dpkg->deb, maven->java-archive, ...); syft's
    `binary` cataloger (version strings guessed from bytes) stays its own type.
  * Python: PEP 503 (`re.sub(r"[-_.]+", "-", name).lower()`).
  * Maven: `groupId:artifactId` from syft's purl (pkg:maven/<group>/<artifact>); drydock
    already names jars that way (manifest-only jars have no group on either side).
  * Go: module paths as-is; syft's `stdlib` version `go1.x.y` -> `1.x.y`.
  * npm: scoped names as-is; duplicates (same name@version at several paths) collapse.

Usage: bench/apps-syft-diff.py [CORPUS]   (default /work/corpus/images)
Env:   DRYDOCK=target/release/drydock  SYFT=/tmp/anchors/bin/syft  VERBOSE=1 (list packages)
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from urllib.parse import unquote

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/work/corpus/images"
DRYDOCK = os.environ.get("DRYDOCK", os.path.join(HERE, "target/release/drydock"))
SYFT = os.environ.get("SYFT", "/tmp/anchors/bin/syft")
VERBOSE = os.environ.get("VERBOSE", "1") != "0"

KIND_TO_TYPE = {
    "dpkg": "deb",
    "apk": "apk",
    "rpm": "rpm",
    "python": "python",
    "npm": "npm",
    "go": "go-module",
    "cargo": "rust-crate",
    "maven": "java-archive",
    "gem": "gem",
    "composer": "php-composer",
    "nuget": "dotnet",
}
# syft types that are the same ecosystem as one of drydock's.
SYFT_TYPE_ALIASES = {"jenkins-plugin": "java-archive", "python-pkg": "python"}


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def norm(typ, name, version):
    if typ == "python":
        name = pep503(name)
    if typ == "go-module" and name == "stdlib":
        version = version.removeprefix("go")
    return (typ, name, version)


def platforms(layout):
    """Platforms of a multi-arch index (nested indexes followed), or [None] for one image."""
    def blob(d):
        return os.path.join(layout, "blobs", *d.split(":"))

    out = []

    def walk(index):
        for m in index.get("manifests", []):
            if m["mediaType"].endswith("index.v1+json"):
                walk(json.load(open(blob(m["digest"]))))
            elif "platform" in m:
                p = m["platform"]
                out.append("/".join(x for x in (p["os"], p["architecture"], p.get("variant")) if x))

    walk(json.load(open(os.path.join(layout, "index.json"))))
    return out if len(out) > 1 else [None]


def drydock(image, platform):
    cmd = [DRYDOCK, "image", image, "--scanners", "none", "--format", "json"]
    if platform:
        cmd += ["--platform", platform]
    doc = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
    pkgs = set()
    for p in doc.get("packages", []):
        pkgs.add(norm(KIND_TO_TYPE.get(p["kind"], p["kind"]), p["name"], p["version"]))
    return pkgs


def flat_layout(layout, platform, tmp):
    """syft 1.18 (stereoscope) rejects an index.json whose entry is itself an index
    ("unexpected media type ... index.v1+json") even with --platform: give it a layout whose
    index.json names that platform's manifest directly, sharing the blobs."""
    def blob(d):
        return os.path.join(layout, "blobs", *d.split(":"))

    def find(index):
        for m in index.get("manifests", []):
            if m["mediaType"].endswith("index.v1+json"):
                hit = find(json.load(open(blob(m["digest"]))))
                if hit:
                    return hit
            p = m.get("platform", {})
            if "/".join(x for x in (p.get("os"), p.get("architecture"), p.get("variant")) if x) == platform:
                return m
        return None

    manifest = find(json.load(open(os.path.join(layout, "index.json"))))
    out = os.path.join(tmp, platform.replace("/", "-"))
    os.makedirs(out, exist_ok=True)
    if not os.path.exists(os.path.join(out, "blobs")):
        os.symlink(os.path.join(layout, "blobs"), os.path.join(out, "blobs"))
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [manifest]}, f)
    return out


def syft(image, platform, tmp):
    if image.endswith(".tar.gz"):
        # syft's docker-archive source wants the tar itself.
        plain = os.path.join(tmp, os.path.basename(image)[: -len(".gz")])
        with open(plain, "wb") as f:
            subprocess.run(["gzip", "-dc", image], check=True, stdout=f)
        source = f"docker-archive:{plain}"
    elif image.endswith(".tar"):
        source = f"docker-archive:{image}"
    else:
        source = f"oci-dir:{flat_layout(image, platform, tmp) if platform else image}"
    cmd = [SYFT, "scan", source, "-o", "json", "-q"]
    env = dict(os.environ, SYFT_CHECK_FOR_APP_UPDATE="false")
    doc = json.loads(subprocess.run(cmd, check=True, capture_output=True, env=env).stdout)
    pkgs = set()
    for a in doc.get("artifacts", []):
        typ = SYFT_TYPE_ALIASES.get(a["type"], a["type"])
        name = a["name"]
        if typ == "java-archive":
            # A group is only known from pom.properties; without one syft's purl carries a
            # group guessed from the manifest or file name, which drydock does not make up.
            pom = (a.get("metadata") or {}).get("pomProperties") or {}
            m = re.match(r"pkg:maven/([^/]+)/([^@?]+)", a.get("purl") or "")
            if pom.get("groupId") and pom.get("artifactId"):
                name = f"{pom['groupId']}:{pom['artifactId']}"
            elif m and VERBOSE:
                name = f"{unquote(m.group(1))}:{unquote(m.group(2))} (guessed group)"
        pkgs.add(norm(typ, name, a["version"]))
    return pkgs


def main():
    layouts = sorted(
        os.path.join(CORPUS, d, "oci")
        for d in os.listdir(CORPUS)
        if os.path.isfile(os.path.join(CORPUS, d, "oci", "index.json"))
    )
    total = defaultdict(lambda: [0, 0, 0])
    tmp = tempfile.mkdtemp(prefix="syft-diff-")
    # Real third-party `docker save` archives (Alpine apk DBs, a whiteout, Docker 25 output).
    thirdparty = os.path.join(CORPUS, "thirdparty")
    archives = sorted(
        os.path.join(thirdparty, f)
        for f in (os.listdir(thirdparty) if os.path.isdir(thirdparty) else [])
        if f.endswith((".tar", ".tar.gz"))
    )
    jobs = [(i, p) for i in layouts for p in platforms(i)] + [(a, None) for a in archives]
    for image, platform in jobs:
        name = image if image.endswith(("tar", "gz")) else os.path.dirname(image)
        label = os.path.basename(name) + (f" [{platform}]" if platform else "")
        d, s = drydock(image, platform), syft(image, platform, tmp)
        print(f"\n=== {label}")
        types = sorted({t for t, _, _ in d | s})
        print(f"{'type':<16}{'both':>6}{'drydock only':>14}{'syft only':>11}")
        for t in types:
            dt = {p for p in d if p[0] == t}
            st = {p for p in s if p[0] == t}
            row = (len(dt & st), len(dt - st), len(st - dt))
            for i, n in enumerate(row):
                total[t][i] += n
            print(f"{t:<16}{row[0]:>6}{row[1]:>14}{row[2]:>11}")
            if VERBOSE:
                for tag, diff in (("drydock only", dt - st), ("syft only", st - dt)):
                    for _, n, v in sorted(diff):
                        print(f"    {tag:<13} {n}@{v}")
    shutil.rmtree(tmp)
    print("\n=== all images")
    print(f"{'type':<16}{'both':>6}{'drydock only':>14}{'syft only':>11}")
    for t, (b, do, so) in sorted(total.items()):
        print(f"{t:<16}{b:>6}{do:>14}{so:>11}")


if __name__ == "__main__":
    main()
