#!/usr/bin/env python3
"""Builds the mini OSV mirror used by drydock-vulndb tests from the real data.

Usage: python3 make_mini.py [/work/shared/vulndata]

Output: ./mini/ next to this script, laid out like the real mirror:
  mini/osv/<ECO>/{all.zip,modified_id.csv}, mini/osv/ecosystems.txt,
  mini/kev/..., mini/cvss/cvss.jsonl, mini/epss/epss_mini.csv (FIRST layout, with the
  '#model_version' comment line), mini/alpine-secdb/v3.20/main.json.

Records are the first N ids (sorted) of each ecosystem plus "anchor" records that the
tests rely on (a CVE present in KEV+CVSS+EPSS, a withdrawn record, a PyPI name that
needs PEP 503 normalization). One deliberately broken record (PYSEC-0000-BAD) is added
to PyPI. The Alpine secdb is trimmed to fixes the mini Alpine records cover, plus one
fix ("gap") whose OSV record is left out, so secdb gap-filling is exercised.
Output is deterministic (fixed zip timestamps).
"""
import json
import os
import re
import shutil
import sys
import zipfile

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/vulndata"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mini")
N = {"PyPI": 25, "Go": 15, "crates.io": 15, "npm": 10, "RubyGems": 10,
     "Packagist": 10, "Alpine:v3.20": 25, "Debian:11": 15, "AlmaLinux:9": 10}
CVE_RE = re.compile(r"CVE-\d{4}-\d{4,}")
BAD_ID = "PYSEC-0000-BAD"
BAD_MODIFIED = "2000-01-01T00:00:00Z"


def cves_of(rec):
    out = set(CVE_RE.findall(rec["id"]))
    for k in ("aliases", "upstream", "related"):
        out.update(c for c in rec.get(k) or [] if CVE_RE.fullmatch(c))
    return out


def load(eco):
    z = zipfile.ZipFile(os.path.join(SRC, "osv", eco, "all.zip"))
    return {n[:-5]: z.read(n) for n in z.namelist() if n.endswith(".json")}


def main():
    kev = json.load(open(os.path.join(SRC, "kev/known_exploited_vulnerabilities.json")))
    kev_cves = {v["cveID"] for v in kev["vulnerabilities"]}
    cvss = {}
    for line in open(os.path.join(SRC, "cvss/cvss.jsonl")):
        if line.strip():
            cvss[json.loads(line)["cve"]] = line
    epss_path = [f for f in sorted(os.listdir(os.path.join(SRC, "epss"))) if f.endswith(".csv")][-1]
    epss = {}
    for line in open(os.path.join(SRC, "epss", epss_path)):
        if line.startswith("CVE-"):
            epss[line.split(",")[0]] = line

    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    chosen = {}
    raw = {}
    for eco, n in N.items():
        recs = load(eco)
        raw[eco] = recs
        ids = sorted(recs)[:n]
        parsed = {i: json.loads(recs[i]) for i in recs}
        # anchor: a record whose CVE is in KEV, has CVSS v3 and EPSS
        anchor = next((i for i in sorted(recs)
                       if any(c in kev_cves and c in cvss and c in epss and "cvss3_score" in cvss[c]
                              for c in cves_of(parsed[i]))), None)
        if anchor and eco in ("PyPI", "Debian:11", "AlmaLinux:9", "Alpine:v3.20"):
            ids.append(anchor)
        withdrawn = next((i for i in sorted(recs) if "withdrawn" in parsed[i]), None)
        if withdrawn:
            ids.append(withdrawn)
        if eco == "PyPI":
            odd = next(i for i in sorted(recs) if any(
                re.search(r"[A-Z_.]", a["package"]["name"]) for a in parsed[i].get("affected", [])))
            ids.append(odd)
        chosen[eco] = sorted(set(ids))

    # Alpine secdb: keep fixes covered by chosen records + one gap whose record is omitted.
    secdb = json.load(open(os.path.join(SRC, "alpine-secdb/v3.20/main.json")))
    covered = set()
    for i in chosen["Alpine:v3.20"]:
        rec = json.loads(raw["Alpine:v3.20"][i])
        for a in rec["affected"]:
            if a["package"]["ecosystem"] == "Alpine:v3.20":
                for c in cves_of(rec):
                    covered.add((a["package"]["name"], c))
    gap = None
    pkgs = []
    for p in secdb["packages"]:
        name = p["pkg"]["name"]
        fixes = {}
        for ver, items in (p["pkg"].get("secfixes") or {}).items():
            keep = [it for it in items or [] if any((name, c) in covered for c in CVE_RE.findall(it))]
            if gap is None and ver != "0" and not keep:
                for it in items or []:
                    c = CVE_RE.findall(it)
                    if len(c) == 1 and f"ALPINE-{c[0]}" not in chosen["Alpine:v3.20"]:
                        gap = (name, c[0], ver)
                        keep = [it]
                        break
            if keep:
                fixes[ver] = keep
        if fixes:
            pkgs.append({"pkg": {"name": name, "secfixes": fixes}})
    secdb["packages"] = pkgs
    os.makedirs(os.path.join(OUT, "alpine-secdb/v3.20"))
    json.dump(secdb, open(os.path.join(OUT, "alpine-secdb/v3.20/main.json"), "w"), indent=1)

    all_cves = set()
    os.makedirs(os.path.join(OUT, "osv"))
    for eco, ids in chosen.items():
        d = os.path.join(OUT, "osv", eco)
        os.makedirs(d)
        order = [l.rstrip("\n") for l in open(os.path.join(SRC, "osv", eco, "modified_id.csv"))]
        keep = set(ids)
        lines = [l for l in order if l.split(",", 1)[1] in keep]
        entries = [(i, raw[eco][i]) for i in ids]
        for _, b in entries:
            all_cves |= cves_of(json.loads(b))
        if eco == "PyPI":
            entries.append((BAD_ID, b'{"id": "PYSEC-0000-BAD", "modified": "2000-01-01T00:0'))
            lines.append(f"{BAD_MODIFIED},{BAD_ID}")
        with zipfile.ZipFile(os.path.join(d, "all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for i, b in entries:
                z.writestr(zipfile.ZipInfo(f"{i}.json", (2024, 1, 1, 0, 0, 0)), b,
                           compress_type=zipfile.ZIP_DEFLATED)
        open(os.path.join(d, "modified_id.csv"), "w").write("\n".join(lines) + "\n")
    open(os.path.join(OUT, "osv/ecosystems.txt"), "w").write("\n".join(N) + "\n")

    kev["vulnerabilities"] = [v for v in kev["vulnerabilities"] if v["cveID"] in all_cves]
    kev["count"] = len(kev["vulnerabilities"])
    os.makedirs(os.path.join(OUT, "kev"))
    json.dump(kev, open(os.path.join(OUT, "kev/known_exploited_vulnerabilities.json"), "w"), indent=1)
    os.makedirs(os.path.join(OUT, "cvss"))
    open(os.path.join(OUT, "cvss/cvss.jsonl"), "w").write(
        "".join(cvss[c] for c in sorted(all_cves) if c in cvss))
    os.makedirs(os.path.join(OUT, "epss"))
    open(os.path.join(OUT, "epss/epss_mini.csv"), "w").write(
        "#model_version:v2025.03.14,score_date:2026-08-16T00:00:00Z\ncve,epss,percentile\n"
        + "".join(epss[c] for c in sorted(all_cves) if c in epss))
    print("gap:", gap, "kev:", kev["count"], "cves:", len(all_cves),
          {e: len(i) for e, i in chosen.items()})


if __name__ == "__main__":
    main()
