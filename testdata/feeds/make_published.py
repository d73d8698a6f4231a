#!/usr/bin/env python3
"""Builds testdata/feeds/published/: the CVE feeds in the exact shapes their publishers
serve, for tests that point `drydock db update` at a local HTTP server.

Usage: python3 testdata/feeds/make_published.py [/work/shared/vulndata]

- kev/known_exploited_vulnerabilities.json: REAL entries of CISA's catalog (copied from
  the shared data), cut to three, with the catalog's own title/catalogVersion/dateReleased.
- epss/epss_scores-current.csv.gz: src/epss_scores-current.csv gzipped as FIRST serves it
  (`#model_version:...,score_date:...` line, header, rows). HAND-WRITTEN scores.
- nvd/nvdcve-2.0-<NAME>.json.gz + .meta for 2020, 2021, 2023 and modified, and
  nvd-next/ with a second `modified` feed: HAND-WRITTEN records in the NVD JSON 2.0
  feed shape (src/*.json), with NVD's .meta lines (lastModifiedDate, size, zipSize,
  gzSize, sha256 of the uncompressed JSON, upper case). Not authoritative CVSS data.
Deterministic output (gzip mtime 0).
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import zipfile

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/vulndata"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "published")
KEEP_KEV = ["CVE-2021-44228", "CVE-2023-44487", "CVE-2024-3400"]


def gz(data):
    return gzip.compress(data, mtime=0)


def meta(name, data, when):
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return (f"lastModifiedDate:{when}\r\nsize:{len(data)}\r\nzipSize:{len(z.getvalue())}\r\n"
            f"gzSize:{len(gz(data))}\r\nsha256:{hashlib.sha256(data).hexdigest().upper()}\r\n")


def nvd(folder, src_name, name):
    data = open(os.path.join(HERE, "src", src_name), "rb").read()
    when = json.loads(data)["timestamp"][:19] + "-05:00"
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, f"nvdcve-2.0-{name}.json.gz"), "wb").write(gz(data))
    open(os.path.join(folder, f"nvdcve-2.0-{name}.meta"), "w", newline="").write(
        meta(f"nvdcve-2.0-{name}.json", data, when))


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    kev = json.load(open(os.path.join(SRC, "kev/known_exploited_vulnerabilities.json")))
    kev["vulnerabilities"] = [v for v in kev["vulnerabilities"] if v["cveID"] in KEEP_KEV]
    kev["count"] = len(kev["vulnerabilities"])
    os.makedirs(os.path.join(OUT, "kev"))
    json.dump(kev, open(os.path.join(OUT, "kev/known_exploited_vulnerabilities.json"), "w"),
              indent=2)
    os.makedirs(os.path.join(OUT, "epss"))
    csv = open(os.path.join(HERE, "src/epss_scores-current.csv"), "rb").read()
    open(os.path.join(OUT, "epss/epss_scores-current.csv.gz"), "wb").write(gz(csv))
    for year in ["2020", "2021", "2023", "modified"]:
        nvd(os.path.join(OUT, "nvd"), f"nvdcve-2.0-{year}.json", year)
    nvd(os.path.join(OUT, "nvd-next"), "nvdcve-2.0-modified.next.json", "modified")
    print("kev:", kev["count"])


if __name__ == "__main__":
    main()
