#!/usr/bin/env python3
"""Writes expected.json: name@version of every package in each lockfile here, computed
independently of drydock (tomllib / json / xml.etree / plain regexes). Run once by hand."""

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).parent
out = {}

# gradle.lockfile: `group:artifact:version=configurations`, minus comments and `empty=`.
out["gradle.lockfile"] = sorted(
    "{}:{}@{}".format(*line.split("=")[0].split(":"))
    for line in (HERE / "gradle.lockfile").read_text().splitlines()
    if line and not line.startswith("#") and not line.startswith("empty=")
)

# Yarn Berry: top-level entries (not __metadata), name from `resolution: "name@npm:version"`,
# minus the project's own `@workspace:` entry.
berry = set()
for block in (HERE / "berry.yarn.lock").read_text().split("\n\n"):
    res = re.search(r'^  resolution: "(.+)"$', block, re.M)
    ver = re.search(r"^  version: (.+)$", block, re.M)
    if res and ver and "@workspace:" not in res.group(1):
        name = re.match(r"(@?[^@]+)@", res.group(1)).group(1)
        berry.add(f"{name}@{ver.group(1)}")
out["berry.yarn.lock"] = sorted(berry)

# pdm.lock, uv.lock: tomllib; uv's editable/virtual sources are the project itself.
for f in ["pdm.lock", "uv.lock"]:
    doc = tomllib.loads((HERE / f).read_text())
    out[f] = sorted(
        f"{p['name']}@{p['version']}"
        for p in doc["package"]
        if not {"editable", "virtual"} & set(p.get("source", {}))
    )

# go.mod: require lines and blocks (no replace directives in this file).
gomod = (HERE / "go.mod").read_text()
assert "replace" not in gomod
reqs = re.findall(r"^\s*(?:require\s+)?([a-z0-9.\-]+\.[a-z]+/\S+)\s+(v\S+)", gomod, re.M)
out["go.mod"] = sorted(f"{m}@{v}" for m, v in reqs)

# pom.xml: project/dependencies/dependency with a literal version or one from project/properties.
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
root = ET.parse(HERE / "gson-proto.pom.xml").getroot()
props = {e.tag.split("}")[1]: e.text for e in root.find("m:properties", ns)}
pom = []
for d in root.findall("m:dependencies/m:dependency", ns):
    v = d.findtext("m:version", namespaces=ns)
    if v is None:
        continue
    m = re.fullmatch(r"\$\{(.+)\}", v)
    if m:
        v = props.get(m.group(1))
    if v:
        pom.append(f"{d.findtext('m:groupId', namespaces=ns)}:{d.findtext('m:artifactId', namespaces=ns)}@{v}")
out["gson-proto.pom.xml"] = sorted(pom)

(HERE / "expected.json").write_text(json.dumps(out, indent=1) + "\n")
print({k: len(v) for k, v in out.items()})
