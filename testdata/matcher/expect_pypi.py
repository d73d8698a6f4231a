#!/usr/bin/env python3
"""Independent expectations for PyPI matching, computed with the `packaging` library.

Regenerate (after make_mirror.py):
  python3 testdata/matcher/expect_pypi.py > testdata/matcher/pypi_expected.json

For every PyPI package in mirror/osv/PyPI/all.zip, the candidate versions are every
version the records mention (range events and `versions` lists) plus 0.0.1 and 999.0.
For each (package, version) the expected advisory ids are the non-withdrawn records
that affect it, evaluated with the OSV schema's reference algorithm
(https://ossf.github.io/osv-schema/#evaluation) over packaging.version.Version
ordering, or that list the version explicitly. A range holding a version packaging
cannot parse is treated as not matching (drydock reports it as a warning instead of
guessing); such ranges are counted in "invalid_ranges".
"""
import json
import os
import re
import zipfile

from packaging.version import InvalidVersion, Version

HERE = os.path.dirname(os.path.abspath(__file__))


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(v):
    try:
        return Version(v)
    except InvalidVersion:
        return None


def in_range(v, events):
    keyed = []
    for e in events:
        (kind, val), = e.items()
        if kind == "introduced" and val == "0":
            keyed.append((0, None, kind))
        elif kind == "limit" and "*" in val:
            keyed.append((2, None, kind))
        else:
            p = parse(val)
            if p is None:
                raise InvalidVersion(val)
            keyed.append((1, p, kind))
    keyed.sort(key=lambda k: (k[0], k[1] if k[1] is not None else Version("0")))

    def at_or_after(k):
        return k[0] == 0 or (k[0] == 1 and v >= k[1])

    limits = [k for k in keyed if k[2] == "limit"]
    if limits and all(at_or_after(k) for k in limits):
        return False
    vulnerable = False
    for k in keyed:
        if k[2] == "introduced" and at_or_after(k):
            vulnerable = True
        elif k[2] == "fixed" and at_or_after(k):
            vulnerable = False
        elif k[2] == "last_affected" and k[0] == 1 and v > k[1]:
            vulnerable = False
    return vulnerable


def main():
    z = zipfile.ZipFile(os.path.join(HERE, "mirror/osv/PyPI/all.zip"))
    recs = [json.loads(z.read(n)) for n in sorted(z.namelist())]
    spelled = {}
    cands = {}
    for r in recs:
        for a in r.get("affected", []):
            if a["package"]["ecosystem"] != "PyPI":
                continue
            key = norm(a["package"]["name"])
            spelled.setdefault(key, a["package"]["name"])
            vs = cands.setdefault(key, {"0.0.1", "999.0"})
            vs.update(a.get("versions", []))
            for rg in a.get("ranges", []):
                for e in rg["events"]:
                    vs.update(x for x in e.values() if x != "0")
    cases = []
    invalid = 0
    for key in sorted(cands):
        for ver in sorted(cands[key]):
            v = parse(ver)
            if v is None:
                continue
            hit = set()
            for r in recs:
                if "withdrawn" in r:
                    continue
                for a in r.get("affected", []):
                    if a["package"]["ecosystem"] != "PyPI" or norm(a["package"]["name"]) != key:
                        continue
                    for rg in a.get("ranges", []):
                        if rg["type"] not in ("ECOSYSTEM", "SEMVER"):
                            continue
                        try:
                            if in_range(v, rg["events"]):
                                hit.add(r["id"])
                        except InvalidVersion:
                            invalid += 1
                    if any(x == ver or parse(x) == v for x in a.get("versions", [])):
                        hit.add(r["id"])
            cases.append({"name": spelled[key], "version": ver, "expected": sorted(hit)})
    print(json.dumps({"generator": "expect_pypi.py with packaging",
                      "invalid_ranges": invalid, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
