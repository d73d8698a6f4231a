#!/usr/bin/env python3
"""Scores secret-scanner reports against the generated corpus's truth.json.

Usage: secrets-score.py TRUTH.json drydock=DRYDOCK.json trivy=TRIVY.json

Matching is by (path, line range), per rule family. A planted secret spans
line..end_line (a PEM block runs to its END marker; scanners differ in which
of its lines they report), a finding spans its first..last line.
  * a planted secret is recalled when the tool reports a finding of the same
    family whose range overlaps the secret's ("line" recall); the
    "file" column relaxes this to any same-family finding in the same file
    (a tool may point at another line of a multi-line secret, e.g. trivy's
    gcp-service-account rule reports the `"type": "service_account"` line);
  * a finding is a true positive when its range overlaps any planted
    secret (any family: a generic rule flagging a real token is not wrong);
    otherwise it is a false positive, split into "on a decoy" (a decoy's
    line, or anywhere in a whole-file decoy) and "elsewhere".
Findings are deduplicated per (path, first line, family), so a tool that
reports the same secret twice is neither rewarded nor punished for it.
"""

import json
import os
import sys
from collections import defaultdict

# Tool rule ids whose first dash-separated word is not the family name.
ALIASES = {
    "private-key": "private-key",
    "connection-uri-password": "connection-uri",
    "jwt-token": "jwt",
    "new-relic-user-api-key": "newrelic",
    "dockerconfig-secret": "docker",
    "hugging-face-access-token": "huggingface",
}


def family(rule_id):
    if rule_id in ALIASES:
        return ALIASES[rule_id]
    if rule_id.startswith("new-relic"):
        return "newrelic"
    return rule_id.split("-")[0]


def norm(path):
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def drydock_findings(report):
    """(path, first, last, rule_id) from `drydock fs --format json`."""
    for s in report.get("secrets") or []:
        yield norm(s["path"]), s["line"], s["line"], s["rule_id"]


def trivy_findings(report):
    """(path, first, last, rule_id) from `trivy fs --format json`."""
    for r in report.get("Results") or []:
        for s in r.get("Secrets") or []:
            start = s.get("StartLine") or 0
            yield norm(r["Target"]), start, max(s.get("EndLine") or start, start), s["RuleID"]


READERS = {"drydock": drydock_findings, "trivy": trivy_findings}


def score(truth, findings):
    planted = defaultdict(set)  # path -> lines with a planted secret
    for s in truth["secrets"]:
        planted[s["path"]].update(range(s["line"], s.get("end_line", s["line"]) + 1))
    decoy_lines = defaultdict(set)
    decoy_files = set()
    for d in truth["decoys"]:
        if d["line"] is None:
            decoy_files.add(d["path"])
        else:
            decoy_lines[d["path"]].add(d["line"])

    found = {}
    for path, first, last, rule in findings:
        found.setdefault((path, first, family(rule)), (path, first, last, rule))
    by_fam_file = defaultdict(set)  # (path, family) -> {(first, last)}
    for path, first, last, rule in found.values():
        by_fam_file[(path, family(rule))].add((first, last))

    rows = defaultdict(lambda: defaultdict(int))
    for s in truth["secrets"]:
        row = rows[s["family"]]
        row["planted"] += 1
        spans = by_fam_file.get((s["path"], s["family"]), set())
        end = s.get("end_line", s["line"])
        row["tp_line"] += any(a <= end and s["line"] <= b for a, b in spans)
        row["tp_file"] += bool(spans)
    fps = []
    for path, first, last, rule in found.values():
        row = rows[family(rule)]
        row["reported"] += 1
        lines = range(first, last + 1)
        if any(l in planted.get(path, ()) for l in lines):
            row["correct"] += 1
        elif path in decoy_files or any(l in decoy_lines.get(path, ()) for l in lines):
            row["fp_decoy"] += 1
            fps.append((path, first, rule, "decoy"))
        else:
            row["fp_other"] += 1
            fps.append((path, first, rule, "no secret planted"))
    return rows, fps


def ratio(a, b):
    return f"{a / b:.3f}" if b else "-"


def cells(r):
    return (
        f" | {r['reported']:>8} {ratio(r['tp_line'], r['planted']):>6}"
        f" {ratio(r['tp_file'], r['planted']):>6} {r['fp_decoy']:>5} {r['fp_other']:>5}"
        f" {ratio(r['correct'], r['reported']):>5}"
    )


def main():
    truth = json.load(open(sys.argv[1]))
    tools = []
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        tools.append((name, score(truth, READERS[name](json.load(open(path))))))

    families = sorted(set().union(*(rows.keys() for _, (rows, _) in tools)))
    head = f"{'family':<15} {'planted':>7}"
    for name, _ in tools:
        head += f" | {name:>8} R.line R.file FPdec FPoth  prec"
    print(head)
    print("-" * len(head))
    totals = {name: defaultdict(int) for name, _ in tools}
    for fam in families:
        planted = sum(1 for s in truth["secrets"] if s["family"] == fam)
        line = f"{fam:<15} {planted:>7}"
        for name, (rows, _) in tools:
            for k, v in rows[fam].items():
                totals[name][k] += v
            line += cells(rows[fam])
        print(line)
    print("-" * len(head))
    line = f"{'TOTAL':<15} {len(truth['secrets']):>7}"
    for name, _ in tools:
        line += cells(totals[name])
    print(line)
    print(
        "\nreported: distinct (path, line, family) findings; R.line/R.file: share of planted"
        "\nsecrets with a same-family finding overlapping their lines / anywhere in their file;"
        "\nFPdec/FPoth: findings on a decoy / where nothing was planted; prec: share of"
        "\nreported findings overlapping a planted secret."
        f"\ntruth: {len(truth['secrets'])} planted secrets, {len(truth['decoys'])} decoys"
    )
    files = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "files")
    for name, (_, fps) in tools:
        by_rule = defaultdict(list)
        for fp in sorted(fps):
            by_rule[fp[2]].append(fp)
        if by_rule:
            print(f"\n{name} false positives by rule (count, first example):")
        for rule, items in sorted(by_rule.items()):
            path, line, _, where = items[0]
            print(f"  {rule:<28} {len(items):>4}  {path}:{line} ({where}) {line_text(files, path, line)}")


def line_text(root, path, line):
    """The reported line, shortened, so a reader sees what was flagged."""
    try:
        with open(os.path.join(root, path), errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    text = text.strip()
                    return repr(text if len(text) <= 70 else text[:67] + "...")
    except OSError:
        pass
    return ""

if __name__ == "__main__":
    main()
