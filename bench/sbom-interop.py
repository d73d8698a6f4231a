#!/usr/bin/env python3
"""SBOM interoperability with Trivy and Syft, on the same advisory data.

1. `trivy sbom` on drydock's CycloneDX and SPDX finds what `trivy image` finds on the
   same image (Trivy's DB built from ../shared/vulndata by ../shared/anchors/trivydb).
2. `drydock sbom` on Syft's and Trivy's CycloneDX and SPDX of the image finds what
   `drydock image` finds (drydock's DB from ../shared/vulndata/osv); lists the packages
   and findings those SBOMs lose, and how many packages keep their layer.

Needs: trivy and syft on PATH (../shared/anchors/install.sh), TRIVY_CACHE (default
/tmp/anchors/trivy-cache) built by `../shared/anchors/trivydb/build-cache.sh VULNDATA`
from the same VULNDATA drydock uses (default ../shared/vulndata; the vendored
testdata/matcher/mirror has Debian 12 records, which ../shared/vulndata lacks), a release
drydock (`cargo build --release -p drydock`). Images: the vendored alpine-310, plus
debian-app, debian-slim, distroless-like and alpine-311 from DRYDOCK_CORPUS when set.

usage: bench/sbom-interop.py   (prints a summary table; exit 1 if check 1 or 2 fails)
"""

import gzip
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
DRYDOCK = os.environ.get("DRYDOCK", str(REPO / "target/release/drydock"))
TRIVY_CACHE = os.environ.get("TRIVY_CACHE", "/tmp/anchors/trivy-cache")
# The advisory data both tools use: TRIVY_CACHE must be built from the same directory.
VULNDATA = pathlib.Path(os.environ.get("VULNDATA", REPO.parent / "shared/vulndata"))
TRIVY_FLAGS = [
    "--cache-dir", TRIVY_CACHE, "--cache-backend", "memory", "--skip-db-update",
    "--skip-java-db-update", "--offline-scan", "--disable-telemetry",
    "--skip-version-check", "-q",
]


def sh(args, **kw):
    out = subprocess.run(args, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(map(str, args))}\n{out.stderr}")
    return out.stdout


def images():
    yield "alpine-310", REPO / "testdata/images/thirdparty/alpine-310.tar.gz"
    corpus = os.environ.get("DRYDOCK_CORPUS")
    if corpus:
        c = pathlib.Path(corpus)
        for name in ["debian-app", "debian-slim", "distroless-like"]:
            yield name, c / name / "oci"
        yield "alpine-311", c / "thirdparty/alpine-311.tar.gz"


def syft_source(path, tmp):
    if path.is_dir():
        return f"oci-dir:{path}"
    if path.suffix == ".gz":
        plain = tmp / (path.stem)
        with gzip.open(path) as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        return f"docker-archive:{plain}"
    return f"docker-archive:{path}"


def trivy_findings(report):
    # Trivy spells Go's stdlib version `v1.19.8` from a binary and `1.19.8` from a purl.
    return {
        (v["PkgName"], re.sub(r"^v(?=\d)", "", v["InstalledVersion"]), v["VulnerabilityID"])
        for r in report.get("Results", [])
        for v in r.get("Vulnerabilities") or []
    }


def norm(kind, name, version):
    """Spellings that differ between tools but name the same package."""
    if kind == "python":
        name = re.sub(r"[-_.]+", "-", name).lower()
    if kind == "go" and version.startswith("v"):
        version = version[1:]
    return kind, name, version


def drydock_findings(report):
    return {
        norm(f["package_kind"], f["package"], f["installed_version"]) + (f["id"],)
        for f in report.get("vulnerabilities") or []
    }


def drydock_packages(report):
    return {norm(p["kind"], p["name"], p["version"]) for p in report["packages"]}


def main():
    for tool in ["trivy", "syft"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} not on PATH: run ../shared/anchors/install.sh")
    cache = tempfile.mkdtemp(prefix="drydock-sbom-bench-")
    sh([DRYDOCK, "--cache-dir", cache, "db", "update", "--source",
        str(VULNDATA / "osv")])
    dd = [DRYDOCK, "--cache-dir", cache]
    env = dict(os.environ, SYFT_CHECK_FOR_APP_UPDATE="false")
    failed = False
    rows = []
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        for name, path in images():
            # 1. trivy image vs trivy sbom on drydock's SBOMs.
            want = trivy_findings(json.loads(sh(
                ["trivy", "image", "--input", str(path), *TRIVY_FLAGS,
                 "--scanners", "vuln", "--format", "json"])))
            for fmt in ["cyclonedx", "spdx-json"]:
                bom = tmp / f"{name}.drydock.{fmt}"
                sh(dd + ["image", str(path), "--scanners", "none", "--format", fmt, "-o", str(bom)])
                got = trivy_findings(json.loads(sh(
                    ["trivy", "sbom", str(bom), *TRIVY_FLAGS, "--scanners", "vuln",
                     "--format", "json"])))
                ok = got == want
                failed |= not ok
                rows.append((name, f"trivy sbom <drydock {fmt}>", f"{len(got & want)}/{len(want)}",
                             len(got - want), "", "ok" if ok else "DIFFERS"))
                for x in sorted(want - got)[:5]:
                    print(f"  {name} {fmt}: trivy sbom misses {x}")
            # 2. drydock image vs drydock sbom on Syft's and Trivy's SBOMs.
            image = json.loads(sh(dd + ["image", str(path), "--format", "json"]))
            want_f, want_p = drydock_findings(image), drydock_packages(image)
            sboms = {}
            src = syft_source(path, tmp)
            for fmt, out in [("cyclonedx-json", "syft.cdx"), ("spdx-json", "syft.spdx")]:
                f = tmp / f"{name}.{out}.json"
                sh(["syft", "scan", src, "-q", "-o", f"{fmt}={f}"], env=env)
                sboms[out] = f
            for fmt, out in [("cyclonedx", "trivy.cdx"), ("spdx-json", "trivy.spdx")]:
                f = tmp / f"{name}.{out}.json"
                sh(["trivy", "image", "--input", str(path), *TRIVY_FLAGS, "--format", fmt,
                    "--output", str(f)])
                sboms[out] = f
            for label, f in sboms.items():
                r = json.loads(sh(dd + ["sbom", str(f), "--format", "json"]))
                got_f, got_p = drydock_findings(r), drydock_packages(r)
                lost_p = sorted(want_p - got_p)
                layered = sum(1 for p in r["packages"] if p.get("layer"))
                ok = want_f <= got_f
                failed |= not ok
                rows.append((name, f"drydock sbom <{label}>", f"{len(got_f & want_f)}/{len(want_f)}",
                             len(got_f - want_f), f"{len(lost_p)} lost, {layered}/{len(r['packages'])} with layer",
                             "ok" if ok else "MISSES"))
                for p in lost_p[:10]:
                    print(f"  {name} {label}: package lost {p}")
                for x in sorted(want_f - got_f)[:5]:
                    print(f"  {name} {label}: finding lost {x}")
                extra = sorted(got_p - want_p)
                if extra:
                    print(f"  {name} {label}: packages drydock image does not report: {extra[:6]}")
    shutil.rmtree(cache, ignore_errors=True)
    print(f"\n{'image':<16} {'check':<34} {'found':>9} {'extra':>6}  {'packages':<28} verdict")
    for r in rows:
        print(f"{r[0]:<16} {r[1]:<34} {r[2]:>9} {r[3]:>6}  {r[4]:<28} {r[5]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
