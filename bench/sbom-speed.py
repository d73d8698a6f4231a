#!/usr/bin/env python3
"""Times `drydock sbom` on a 5,000-component CycloneDX file, matching included.

The components are generated from the advisory data itself, so every one costs a real
lookup: packages that some advisory names, taken in turn from Alpine 3.20 (apk, with the
OS component), PyPI, npm, Go, crates.io, Packagist and RubyGems until there are 5,000.
A share of them (10%, as in a typical image; then 100%, the worst case) is at a version
the advisory lists as affected, the rest at a version past every fix. The DB is built from
the same data (`db update`, not timed).

Needs a release build (`cargo build --release -p drydock`) and ../shared/vulndata.
usage: bench/sbom-speed.py [RUNS]   (default 7; prints each wall time and the median)
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

REPO = pathlib.Path(__file__).resolve().parent.parent
DRYDOCK = os.environ.get("DRYDOCK", str(REPO / "target/release/drydock"))
OSV = pathlib.Path(os.environ.get("VULNDATA", REPO.parent / "shared/vulndata")) / "osv"
COMPONENTS = 5000
ECOSYSTEMS = [  # OSV ecosystem, purl type, namespace, a version past every fix
    ("Alpine:v3.20", "apk", "alpine", "9999.0-r0"),
    ("PyPI", "pypi", None, "9999.0"),
    ("npm", "npm", None, "9999.0.0"),
    ("Go", "golang", None, "v9999.0.0"),
    ("crates.io", "cargo", None, "9999.0.0"),
    ("Packagist", "composer", None, "9999.0.0"),
    ("RubyGems", "gem", None, "9999.0.0"),
]


def packages(ecosystem):
    """(name, an affected version) for every package the ecosystem's advisories name."""
    seen = {}
    with zipfile.ZipFile(OSV / ecosystem / "all.zip") as z:
        for member in z.namelist():
            record = json.loads(z.read(member))
            for a in record.get("affected", []):
                name = a.get("package", {}).get("name")
                versions = a.get("versions") or []
                if name and name not in seen and versions:
                    seen[name] = versions[len(versions) // 2]
    return list(seen.items())


def purl(ty, namespace, name, version, distro=None):
    from urllib.parse import quote
    parts = [quote(p, safe="") for p in name.split("/")]
    if ty == "npm" and name.startswith("@"):
        parts[0] = quote(parts[0], safe="")
    path = "/".join(([namespace] if namespace else []) + parts)
    q = f"?distro={distro}" if distro else ""
    return f"pkg:{ty}/{path}@{quote(version, safe='')}{q}"


def make_bom(path, affected_share):
    pools = [(ty, ns, past, packages(eco)) for eco, ty, ns, past in ECOSYSTEMS]
    components = [{"bom-ref": "os", "type": "operating-system", "name": "alpine", "version": "3.20.3"}]
    i = 0
    every = round(1 / affected_share)
    while len(components) <= COMPONENTS:
        for ty, ns, past, pool in pools:
            if i < len(pool) and len(components) <= COMPONENTS:
                name, affected = pool[i]
                version = affected if (len(components) % every == 0) else past
                p = purl(ty, ns, name, version, "3.20.3" if ty == "apk" else None)
                components.append({"bom-ref": p, "type": "library", "name": name,
                                   "version": version, "purl": p})
        i += 1
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "metadata": {"component": {"type": "container", "name": "synthetic"}},
           "components": components}
    path.write_text(json.dumps(bom))
    return len(components) - 1


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        cache = tmp / "cache"
        subprocess.run([DRYDOCK, "--cache-dir", cache, "db", "update", "--source", OSV],
                       check=True, capture_output=True)
        for share in [0.1, 1.0]:
            bom = tmp / f"bom-{share}.cdx.json"
            n = make_bom(bom, share)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                out = subprocess.run(
                    [DRYDOCK, "--cache-dir", cache, "sbom", bom, "--format", "json"],
                    check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            report = json.loads(out.stdout)
            print(f"{n} components ({bom.stat().st_size // 1024} KiB), {share:.0%} at an affected "
                  f"version: {len(report['packages'])} packages, "
                  f"{len(report['vulnerabilities'])} findings")
            print("  wall s:", " ".join(f"{x:.3f}" for x in times))
            print(f"  median {statistics.median(times):.3f} s (budget 0.5 s)")


if __name__ == "__main__":
    main()
