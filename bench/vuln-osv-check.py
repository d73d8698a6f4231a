#!/usr/bin/env python3
"""Independent check of drydock's application-package matching against the OSV records.

Reads the OSV records straight from the shared mirror's `<Ecosystem>/all.zip`, computes
which advisories affect each application package of an image's INDEX.json inventory
(PyPI via the `packaging` library's PEP 440 ordering; npm, crates.io and Go with the
SemVer 2.0 ordering hand-written below), following the OSV schema's evaluation
(https://ossf.github.io/osv-schema/#evaluation): `versions` list membership, or a
SEMVER/ECOSYSTEM range whose sorted events (introduced / fixed / last_affected) put the
version inside while it is below some `limit`; withdrawn records are skipped, GIT
ranges ignored. No drydock code is involved.

It then compares, per (package, advisory id), with the `advisory_ids` of drydock's
findings in a JSON report of the same image and prints the differences.

usage: bench/vuln-osv-check.py DRYDOCK_REPORT.json [--image debian-app]
                               [--osv /work/shared/vulndata/osv]
"""

import argparse
import json
import os
import re
import sys
import zipfile
from functools import cmp_to_key

from packaging.version import InvalidVersion, Version

CORPUS = "/work/corpus/images"


# ---------------------------------------------------------------- version orderings
SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$")


class SemVer:
    """SemVer 2.0 precedence: numeric core, then a pre-release sorts before the release,
    identifiers compared numerically when both are digits, else ASCII; build ignored."""

    def __init__(self, s):
        m = SEMVER.match(s.strip())
        if not m:
            raise ValueError(f"not SemVer: {s!r}")
        self.core = tuple(int(m.group(i)) for i in (1, 2, 3))
        self.pre = m.group(4).split(".") if m.group(4) else []
        self.text = s

    def _cmp(self, o):
        if self.core != o.core:
            return -1 if self.core < o.core else 1
        if not self.pre or not o.pre:
            return (len(o.pre) > 0) - (len(self.pre) > 0)  # release > pre-release
        for a, b in zip(self.pre, o.pre):
            if a == b:
                continue
            ad, bd = a.isdigit(), b.isdigit()
            if ad and bd:
                return -1 if int(a) < int(b) else 1
            if ad != bd:
                return -1 if ad else 1  # numeric identifiers sort first
            return -1 if a < b else 1
        return (len(self.pre) > len(o.pre)) - (len(self.pre) < len(o.pre))

    def __lt__(self, o): return self._cmp(o) < 0
    def __le__(self, o): return self._cmp(o) <= 0
    def __gt__(self, o): return self._cmp(o) > 0
    def __ge__(self, o): return self._cmp(o) >= 0
    def __eq__(self, o): return self._cmp(o) == 0


def pep440(s):
    return Version(s)


PARSE = {"PyPI": pep440, "npm": SemVer, "crates.io": SemVer, "Go": SemVer}


def norm_name(eco, name):
    if eco == "PyPI":  # PEP 503
        return re.sub(r"[-_.]+", "-", name).lower()
    return name


# ---------------------------------------------------------------- OSV evaluation
class Unparsable(Exception):
    pass


def in_range(parse, v, events):
    """The OSV schema's IncludedInRanges for one range."""
    limits = [e["limit"] for e in events if "limit" in e]

    def p(s):
        try:
            return parse(s)
        except (InvalidVersion, ValueError) as e:
            raise Unparsable(str(e)) from e

    if limits and not any(l == "*" or v < p(l) for l in limits):
        return False

    def key(e):
        (k, val), = ((k, e[k]) for k in ("introduced", "fixed", "last_affected", "limit")
                     if k in e)
        if k == "introduced" and val == "0":
            return (0, None)
        if k == "limit" and "*" in val:
            return (2, None)
        return (1, p(val))

    def cmp(a, b):
        ka, kb = key(a), key(b)
        if ka[0] != kb[0]:
            return ka[0] - kb[0]
        if ka[0] != 1:
            return 0
        return -1 if ka[1] < kb[1] else (1 if ka[1] > kb[1] else 0)

    vulnerable = False
    for e in sorted(events, key=cmp_to_key(cmp)):  # stable, like the spec's sorted()
        k = key(e)
        if "introduced" in e and (k[0] == 0 or v >= k[1]):
            vulnerable = True
        elif "fixed" in e and v >= k[1]:
            vulnerable = False
        elif "last_affected" in e and v > k[1]:
            vulnerable = False
    return vulnerable


def affected_ids(records, eco, name, version, errors):
    parse = PARSE[eco]
    v = parse(version)
    want = norm_name(eco, name)
    hits = set()
    for r in records:
        if r.get("withdrawn"):
            continue
        for a in r.get("affected", []):
            pkg = a.get("package", {})
            if pkg.get("ecosystem") != eco or norm_name(eco, pkg.get("name", "")) != want:
                continue
            listed = False
            for s in a.get("versions", []):
                try:
                    if parse(s) == v:
                        listed = True
                except (InvalidVersion, ValueError):
                    pass
            ranged = False
            for rg in a.get("ranges", []):
                if rg.get("type") not in ("SEMVER", "ECOSYSTEM"):
                    continue
                try:
                    ranged |= in_range(parse, v, rg.get("events", []))
                except Unparsable as e:
                    errors.append(f"{r['id']} {name}: {e}")
            if listed or ranged:
                hits.add(r["id"])
    return hits


def load(osv, eco, names):
    """Records of `eco` that mention one of `names` (normalised)."""
    out = {}
    with zipfile.ZipFile(os.path.join(osv, eco, "all.zip")) as z:
        for n in z.namelist():
            r = json.loads(z.read(n))
            for a in r.get("affected", []):
                nm = norm_name(eco, a.get("package", {}).get("name", ""))
                if nm in names:
                    out.setdefault(nm, []).append(r)
    return out


def inventory(image):
    img = json.load(open(os.path.join(CORPUS, "INDEX.json")))["images"][image]["images"][0]
    inv = img["inventory"]
    pk = []
    pk += [("PyPI", *p.split("==", 1)) for p in inv.get("python", [])]
    pk += [("npm", *p.rsplit("@", 1)) for p in inv.get("npm", [])]
    crates = set()
    for b in inv.get("rust_binaries", []):
        crates |= set(b.get("crates", []))
    for lf in inv.get("cargo_lockfiles", []):
        crates |= set(lf.get("packages", []))
    pk += [("crates.io", *c.rsplit("@", 1)) for c in sorted(crates)]
    for b in inv.get("go_binaries", []):
        pk.append(("Go", "stdlib", b["go"].removeprefix("go")))
        pk += [("Go", d["path"], d["version"].removeprefix("v")) for d in b.get("deps", [])]
    return pk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--image", default="debian-app")
    ap.add_argument("--osv", default="/work/shared/vulndata/osv")
    args = ap.parse_args()

    kind_eco = {"python": "PyPI", "npm": "npm", "cargo": "crates.io", "go": "Go"}
    dd = set()
    for f in json.load(open(args.report)).get("vulnerabilities") or []:
        eco = kind_eco.get(f["package_kind"])
        if eco:
            for aid in f["advisory_ids"]:
                dd.add((eco, norm_name(eco, f["package"]), f["installed_version"], aid))

    pkgs = inventory(args.image)
    want = set()
    errors = []
    for eco in ("PyPI", "npm", "crates.io", "Go"):
        mine = [p for p in pkgs if p[0] == eco]
        recs = load(args.osv, eco, {norm_name(eco, n) for _, n, _ in mine})
        for _, name, ver in mine:
            for aid in affected_ids(recs.get(norm_name(eco, name), []), eco, name, ver,
                                    errors):
                want.add((eco, norm_name(eco, name), ver, aid))

    print(f"{'ecosystem':10} {'pkgs':>5} {'expected':>9} {'drydock':>8} {'agree':>6} "
          f"{'missed':>7} {'extra':>6}")
    bad = 0
    for eco in ("PyPI", "npm", "crates.io", "Go"):
        w = {x for x in want if x[0] == eco}
        d = {x for x in dd if x[0] == eco}
        n = sum(1 for p in pkgs if p[0] == eco)
        print(f"{eco:10} {n:5} {len(w):9} {len(d):8} {len(w & d):6} {len(w - d):7} "
              f"{len(d - w):6}")
        for x in sorted(w - d):
            print(f"   missed by drydock: {x}")
        for x in sorted(d - w):
            print(f"   extra in drydock : {x}")
        bad += len(w ^ d)
    for e in sorted(set(errors)):
        print(f"   unparsable event (range skipped): {e}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
