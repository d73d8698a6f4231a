#!/usr/bin/env python3
"""Compare drydock's vulnerability findings with trivy's, image by image.

Both tools scan every image of the corpus (/work/corpus/images/INDEX.json) against a
database built from the same OSV data (drydock: `drydock db update --source ...`;
trivy: /work/shared/anchors/trivydb/build-cache.sh). Findings are normalised to
(package class, package name, version, vulnerability), where a vulnerability is the set
{id} | aliases: trivy keys a finding by CVE and lists GHSA/PYSEC/GO ids as VendorIDs,
drydock keys it by CVE when there is one and lists the rest as aliases/advisory_ids.
Within one (class, name, version), findings of either tool that share any id are one
vulnerability (union-find), so "CVE-X" from trivy and "GHSA-Y (alias CVE-X)" from
drydock count as the same.

Per image it prints counts of both / only drydock / only trivy, then every one-sided
finding and every severity disagreement, and writes the raw reports plus a JSON summary
to --out.

usage:
  bench/vuln-compare.py [--drydock target/release/drydock] [--cache-dir /tmp/vc/cache]
                        [--db-source /work/shared/vulndata/osv] [--out /tmp/vc/compare]
                        [--only IMAGE_KEY ...]
"""

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict

CORPUS = "/work/corpus/images"
TRIVY = "/tmp/anchors/bin/trivy"
TRIVY_CACHE = "/tmp/anchors/trivy-cache"

# trivy result Type -> package class; drydock package_kind -> package class.
TRIVY_CLASS = {
    "debian": "os", "ubuntu": "os", "alpine": "os", "alma": "os", "rocky": "os",
    "redhat": "os", "centos": "os", "wolfi": "os", "chainguard": "os",
    "python-pkg": "pypi", "pip": "pypi", "pipenv": "pypi", "poetry": "pypi",
    "node-pkg": "npm", "npm": "npm", "yarn": "npm", "pnpm": "npm",
    "gobinary": "go", "gomod": "go",
    "rustbinary": "cargo", "cargo": "cargo",
    "jar": "maven", "pom": "maven",
    "gemspec": "gem", "bundler": "gem",
    "composer": "composer", "composer-vendor": "composer",
}
DRYDOCK_CLASS = {
    "dpkg": "os", "apk": "os", "rpm": "os",
    "python": "pypi", "npm": "npm", "go": "go", "cargo": "cargo",
    "maven": "maven", "gem": "gem", "composer": "composer", "nuget": "nuget",
}
SEV_ORDER = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"]


def norm_name(cls, name):
    n = name.lower()
    if cls == "pypi":  # PEP 503
        n = n.replace("_", "-").replace(".", "-")
    return n


def norm_version(cls, v):
    if cls == "go" and v.startswith("v"):
        return v[1:]
    return v


def images(only):
    """(label, path, platform) for every scannable image of the corpus."""
    index = json.load(open(os.path.join(CORPUS, "INDEX.json")))
    out = []
    for key, img in index["images"].items():
        if only and key not in only:
            continue
        fmts = img["formats"]
        # The OCI layout when there is one; otherwise the single archive (thirdparty).
        fmt = fmts.get("oci") or next(iter(fmts.values()))
        path = os.path.join(CORPUS, fmt["path"])
        plats = [i["platform"] for i in img["images"]]
        for p in plats:
            label = key if len(plats) == 1 else f"{key} [{p}]"
            out.append((label, path, p if len(plats) > 1 else None))
    return out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r


def scan_drydock(args, path, plat, out_json):
    cmd = [args.drydock, "--cache-dir", args.cache_dir, "image", path, "--format", "json",
           "-q", "-o", out_json]
    if plat:
        cmd += ["--platform", plat]
    run(cmd)
    return json.load(open(out_json))


def scan_trivy(args, path, plat, out_json):
    cmd = [args.trivy, "image", "--input", path, "--cache-dir", args.trivy_cache,
           "--cache-backend", "memory", "--skip-db-update", "--skip-java-db-update",
           "--offline-scan", "--disable-telemetry", "--skip-version-check",
           "--scanners", "vuln", "--list-all-pkgs", "--format", "json", "--quiet",
           "--output", out_json]
    if plat:
        cmd += ["--platform", plat]
    run(cmd)
    return json.load(open(out_json))


def drydock_findings(rep):
    """[(pkgkey, ids, severity, status, primary id)]"""
    out = []
    for f in rep.get("vulnerabilities") or []:
        cls = DRYDOCK_CLASS.get(f["package_kind"], f["package_kind"])
        key = (cls, norm_name(cls, f["package"]), norm_version(cls, f["installed_version"]))
        ids = {f["id"], *f.get("aliases", []), *f.get("advisory_ids", [])}
        out.append((key, ids, f.get("severity", "UNKNOWN"), f.get("status"), f["id"]))
    return out


def trivy_findings(rep):
    out = []
    for r in rep.get("Results") or []:
        cls = TRIVY_CLASS.get(r.get("Type"), r.get("Type"))
        for v in r.get("Vulnerabilities") or []:
            key = (cls, norm_name(cls, v["PkgName"]), norm_version(cls, v["InstalledVersion"]))
            ids = {v["VulnerabilityID"], *(v.get("VendorIDs") or [])}
            out.append((key, ids, v.get("Severity", "UNKNOWN"), v.get("Status"),
                        v["VulnerabilityID"]))
    return out


def compare(dd, tr):
    """Groups findings of both tools into vulnerabilities per package; returns a list of
    dicts with the package key, the ids, and each tool's severity (None = not reported)."""
    by_pkg = defaultdict(lambda: ([], []))
    for f in dd:
        by_pkg[f[0]][0].append(f)
    for f in tr:
        by_pkg[f[0]][1].append(f)
    groups = []
    for key, (dfs, tfs) in by_pkg.items():
        nodes = [("dd", f) for f in dfs] + [("tr", f) for f in tfs]
        parent = list(range(len(nodes)))

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owner = {}
        for i, (_, f) in enumerate(nodes):
            for vid in f[1]:
                if vid in owner:
                    parent[root(i)] = root(owner[vid])
                else:
                    owner[vid] = i
        comps = defaultdict(list)
        for i in range(len(nodes)):
            comps[root(i)].append(nodes[i])
        for members in comps.values():
            ids = set().union(*(f[1] for _, f in members))
            sev = {}
            status = {}
            for tool, f in members:
                prev = sev.get(tool)
                if prev is None or SEV_ORDER.index(f[2]) > SEV_ORDER.index(prev):
                    sev[tool] = f[2]
                status.setdefault(tool, f[3])
            cves = sorted(i for i in ids if i.startswith("CVE-"))
            label = cves[0] if cves else sorted(ids)[0]
            groups.append({
                "package": key, "vuln": label, "ids": sorted(ids),
                "drydock": sev.get("dd"), "trivy": sev.get("tr"),
                "drydock_status": status.get("dd"), "trivy_status": status.get("tr"),
            })
    groups.sort(key=lambda g: (g["package"], g["vuln"]))
    return groups


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drydock", default="target/release/drydock")
    ap.add_argument("--cache-dir", default="/tmp/vc/cache")
    ap.add_argument("--db-source", help="run `drydock db update --source DIR` first")
    ap.add_argument("--trivy", default=TRIVY)
    ap.add_argument("--trivy-cache", default=TRIVY_CACHE)
    ap.add_argument("--out", default="/tmp/vc/compare")
    ap.add_argument("--only", nargs="*", help="image keys from INDEX.json")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.db_source:
        run([args.drydock, "--cache-dir", args.cache_dir, "db", "update",
             "--source", args.db_source])

    summary = {}
    totals = defaultdict(int)
    print(f"{'image':34} {'both':>5} {'only-dd':>8} {'only-trivy':>10} {'sev-diff':>8}"
          f"  (dd findings / trivy findings, raw)")
    details = []
    for label, path, plat in images(args.only):
        stem = label.replace("/", "_").replace(" ", "").replace("[", "-").replace("]", "")
        dd_rep = scan_drydock(args, path, plat, os.path.join(args.out, f"{stem}.drydock.json"))
        tr_rep = scan_trivy(args, path, plat, os.path.join(args.out, f"{stem}.trivy.json"))
        dd, tr = drydock_findings(dd_rep), trivy_findings(tr_rep)
        groups = compare(dd, tr)
        both = [g for g in groups if g["drydock"] and g["trivy"]]
        only_dd = [g for g in groups if g["drydock"] and not g["trivy"]]
        only_tr = [g for g in groups if g["trivy"] and not g["drydock"]]
        sev = [g for g in both if g["drydock"] != g["trivy"]]
        print(f"{label:34} {len(both):5} {len(only_dd):8} {len(only_tr):10} {len(sev):8}"
              f"  ({len(dd)} / {len(tr)})")
        for k, v in (("both", both), ("only_drydock", only_dd), ("only_trivy", only_tr),
                     ("severity_diff", sev)):
            totals[k] += len(v)
        summary[label] = {"both": len(both), "only_drydock": only_dd, "only_trivy": only_tr,
                          "severity_diff": sev,
                          "not_covered": dd_rep.get("not_covered", [])}
        details.append((label, only_dd, only_tr, sev, dd_rep.get("not_covered", [])))
    print(f"{'TOTAL':34} {totals['both']:5} {totals['only_drydock']:8} "
          f"{totals['only_trivy']:10} {totals['severity_diff']:8}")

    def pk(g):
        c, n, v = g["package"]
        return f"{c}:{n}@{v}"

    for label, only_dd, only_tr, sev, nc in details:
        if not (only_dd or only_tr or sev or nc):
            continue
        print(f"\n== {label}")
        for n in nc:
            print(f"  not covered (drydock): {n['scope']}: {n['reason']}")
        for g in only_dd:
            print(f"  only drydock : {pk(g):34} {g['vuln']:22} {' '.join(g['ids'])}")
        for g in only_tr:
            print(f"  only trivy   : {pk(g):34} {g['vuln']:22} {' '.join(g['ids'])}")
        for g in sev:
            print(f"  severity     : {pk(g):34} {g['vuln']:22} drydock={g['drydock']} "
                  f"trivy={g['trivy']}")
    json.dump(summary, open(os.path.join(args.out, "summary.json"), "w"), indent=1, default=list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
