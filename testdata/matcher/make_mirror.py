#!/usr/bin/env python3
"""Builds the small OSV mirror used by drydock-matcher tests.

Usage: python3 testdata/matcher/make_mirror.py [/work/shared/vulndata]

Output: testdata/matcher/mirror/ laid out like the real mirror:
  mirror/osv/<ECO>/{all.zip,modified_id.csv}, mirror/osv/ecosystems.txt,
  mirror/kev/known_exploited_vulnerabilities.json, mirror/cvss/cvss.jsonl,
  mirror/epss/epss.csv (subsets for the CVEs the chosen records mention).

Records are REAL ones copied byte for byte from the shared data, picked by package
name (see PICK), except for two ecosystems the shared data lacks (Debian:12 and
Ubuntu:22.04:LTS): those are small HAND-WRITTEN records in the shape of OSV's Debian
and Ubuntu records (keyed on source package names), listed in HAND below. No Alpine
secdb is written, so the Alpine records are exactly the OSV ones. Maven is left out
on purpose (tests use it as "ecosystem without data"). Deterministic output.
"""
import json
import os
import re
import shutil
import sys
import zipfile

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/vulndata"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mirror")
CVE_RE = re.compile(r"CVE-\d{4}-\d{4,}")

# ecosystem -> (package names whose records are all kept, extra record ids)
PICK = {
    "Alpine:v3.10": ({"openssl", "musl", "busybox", "apk-tools"}, []),
    "PyPI": ({"requests", "urllib3", "jinja2", "django", "pyyaml", "distributed"},
             ["PYSEC-2023-73",       # withdrawn (redis)
              "PYSEC-2022-42969"]),  # last_affected (py)
    "npm": ({"lodash"}, ["NSWG-ECO-1", "NSWG-ECO-100"]),
    "Go": ({"stdlib"}, []),
    # openssl-src: RUSTSEC-2020-0015 rates CVE-2020-1967, which the Alpine record leaves unrated.
    "crates.io": ({"regex", "smallvec", "openssl-src"}, ["RUSTSEC-2019-0031"]),  # withdrawn
    "Debian:11": ({"openssl", "curl"}, []),
}


def rec(id_, eco, pkg, events, upstream, summary, published, aliases=None, urgency=None):
    r = {
        "id": id_,
        "summary": summary,
        "modified": published,
        "published": published,
        "upstream": upstream,
        "affected": [{
            "package": {"ecosystem": eco, "name": pkg,
                        "purl": f"pkg:deb/{eco.split(':')[0].lower()}/{pkg}?arch=source"},
            "ranges": [{"type": "ECOSYSTEM", "events": events}],
        }],
        "references": [{"type": "ADVISORY",
                        "url": f"https://example.invalid/advisory/{id_}"}],
    }
    if aliases:
        r["aliases"] = aliases
    if urgency:
        # As OSV's Debian converter writes the security tracker's per-release urgency.
        r["affected"][0]["ecosystem_specific"] = {"urgency": urgency}
    return r


# Hand-written fixtures (see module doc). Source package names, fixed versions in the
# distro's own version syntax.
HAND = {
    "Debian:12": [
        rec("DSA-5532-1", "Debian:12", "openssl",
            [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}],
            ["CVE-2023-5363"], "openssl - security update", "2023-10-24T00:00:00Z"),
        rec("DEBIAN-CVE-2023-4039", "Debian:12", "gcc-12",
            [{"introduced": "0"}], ["CVE-2023-4039"],
            "gcc: -fstack-protector fails on dynamic-sized locals on AArch64",
            "2023-09-13T00:00:00Z", urgency="low"),
    ],
    "Ubuntu:22.04:LTS": [
        rec("USN-6450-1", "Ubuntu:22.04:LTS", "openssl",
            [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.12"}],
            ["CVE-2023-5363"], "openssl vulnerabilities", "2023-10-24T00:00:00Z"),
    ],
}


def app_rec(id_, eco, pkg, purl, ranges, aliases, summary, published, severity):
    """A GHSA-shaped record (the shape of github/advisory-database's OSV export)."""
    return {
        "id": id_,
        "summary": summary,
        "aliases": aliases,
        "modified": published,
        "published": published,
        "affected": [{
            "package": {"ecosystem": eco, "name": pkg, "purl": purl},
            "ranges": [{"type": "ECOSYSTEM", "events": ev} for ev in ranges],
        }],
        "references": [{"type": "ADVISORY", "url": f"https://example.invalid/advisory/{id_}"}],
        "database_specific": {"severity": severity},
    }


# Maven and NuGet: the shared data has none (the GitHub advisory DB was too big to
# mirror), so these are HAND-WRITTEN in the GHSA shape, with ranges chosen to exercise
# each ecosystem's version rules: Maven qualifiers (2.0-beta9 < 2.0 < 2.3.1) and NuGet's
# case-insensitive package ids.
HAND["Maven"] = [
    app_rec("GHSA-jfh8-c2jp-5v3q", "Maven", "org.apache.logging.log4j:log4j-core",
            "pkg:maven/org.apache.logging.log4j/log4j-core",
            [[{"introduced": "2.13.0"}, {"fixed": "2.15.0"}],
             [{"introduced": "2.0-beta9"}, {"fixed": "2.3.1"}],
             [{"introduced": "2.4"}, {"fixed": "2.12.2"}]],
            ["CVE-2021-44228"], "Remote code injection in Log4j (hand-written fixture)",
            "2021-12-10T00:00:00Z", "CRITICAL"),
    app_rec("GHSA-8489-44mv-ggj8", "Maven", "org.apache.logging.log4j:log4j-core",
            "pkg:maven/org.apache.logging.log4j/log4j-core",
            [[{"introduced": "2.0-beta7"}, {"fixed": "2.3.2"}],
             [{"introduced": "2.4"}, {"fixed": "2.12.4"}],
             [{"introduced": "2.13.0"}, {"fixed": "2.17.1"}]],
            ["CVE-2021-44832"], "Improper input validation in Log4j (hand-written fixture)",
            "2021-12-28T00:00:00Z", "MODERATE"),
]
HAND["NuGet"] = [
    app_rec("GHSA-5crp-9r3c-p9vr", "NuGet", "Newtonsoft.Json", "pkg:nuget/Newtonsoft.Json",
            [[{"introduced": "0"}, {"fixed": "13.0.1"}]], [],
            "Improper handling of exceptional conditions in Newtonsoft.Json (hand-written fixture)",
            "2022-06-22T00:00:00Z", "HIGH"),
]


def cves_of(r):
    out = set(CVE_RE.findall(r["id"]))
    for k in ("aliases", "upstream", "related"):
        out.update(c for c in r.get(k) or [] if CVE_RE.fullmatch(c))
    return out


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    all_cves = set()
    ecos = []
    for eco, (names, extra) in PICK.items():
        z = zipfile.ZipFile(os.path.join(SRC, "osv", eco, "all.zip"))
        raw = {n[:-5]: z.read(n) for n in z.namelist() if n.endswith(".json")}
        keep = []
        for i in sorted(raw):
            r = json.loads(raw[i])
            hit = any(a["package"]["ecosystem"] == eco and a["package"]["name"].lower() in names
                      for a in r.get("affected") or [])
            if hit or i in extra:
                keep.append(i)
                all_cves |= cves_of(r)
        lines = [l.rstrip("\n") for l in open(os.path.join(SRC, "osv", eco, "modified_id.csv"))]
        write_eco(eco, [(i, raw[i]) for i in keep],
                  [l for l in lines if l.split(",", 1)[1] in set(keep)])
        ecos.append(eco)
    for eco, recs in HAND.items():
        recs = sorted(recs, key=lambda r: r["id"])
        for r in recs:
            all_cves |= cves_of(r)
        write_eco(eco, [(r["id"], json.dumps(r, indent=2).encode()) for r in recs],
                  [f'{r["modified"]},{r["id"]}' for r in sorted(recs, key=lambda r: r["modified"],
                                                                reverse=True)])
        ecos.append(eco)
    open(os.path.join(OUT, "osv/ecosystems.txt"), "w").write("\n".join(ecos) + "\n")

    kev = json.load(open(os.path.join(SRC, "kev/known_exploited_vulnerabilities.json")))
    kev["vulnerabilities"] = [v for v in kev["vulnerabilities"] if v["cveID"] in all_cves]
    kev["count"] = len(kev["vulnerabilities"])
    os.makedirs(os.path.join(OUT, "kev"))
    json.dump(kev, open(os.path.join(OUT, "kev/known_exploited_vulnerabilities.json"), "w"),
              indent=1)
    os.makedirs(os.path.join(OUT, "cvss"))
    with open(os.path.join(OUT, "cvss/cvss.jsonl"), "w") as f:
        for line in open(os.path.join(SRC, "cvss/cvss.jsonl")):
            if line.strip() and json.loads(line)["cve"] in all_cves:
                f.write(line)
    os.makedirs(os.path.join(OUT, "epss"))
    epss_src = [f for f in sorted(os.listdir(os.path.join(SRC, "epss"))) if f.endswith(".csv")][-1]
    with open(os.path.join(OUT, "epss/epss.csv"), "w") as f:
        f.write("cve,epss,percentile\n")
        for line in open(os.path.join(SRC, "epss", epss_src)):
            if line.split(",")[0] in all_cves:
                f.write(line)
    print("kev:", kev["count"], "cves:", len(all_cves))


def write_eco(eco, entries, lines):
    d = os.path.join(OUT, "osv", eco)
    os.makedirs(d)
    with zipfile.ZipFile(os.path.join(d, "all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for i, b in entries:
            z.writestr(zipfile.ZipInfo(f"{i}.json", (2024, 1, 1, 0, 0, 0)), b,
                       compress_type=zipfile.ZIP_DEFLATED)
    open(os.path.join(d, "modified_id.csv"), "w").write("\n".join(lines) + "\n")
    print(eco, len(entries))


if __name__ == "__main__":
    main()
