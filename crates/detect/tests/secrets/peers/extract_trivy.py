#!/usr/bin/env python3
"""Turn Trivy's secret-scanner test fixtures into labeled samples for drydock.

Trivy (github.com/aquasecurity/trivy) tests its built-in secret rules in
pkg/fanal/secret/scanner_test.go: each case scans one file of
pkg/fanal/secret/testdata/ and lists the exact findings expected.  This
script keeps the cases that run the built-in rule set unchanged (config
`config.yaml` or `skip-test.yaml`, which only add a custom `rule1` and turn
off the "tests" path allow rule) and writes, per fixture file, the file's
text with the line ranges Trivy's suite expects a built-in finding on
(`positives`) and the ranges of the custom rule (`ignore`: neither positive
nor negative).  Every other line is negative: Trivy's suite asserts that
nothing is found there.  Only test values are read, never Trivy's rules.

usage: extract_trivy.py <trivy git dir> <commit> > trivy.jsonl
"""
import json
import re
import subprocess
import sys

BUILTIN_CONFIGS = {"config.yaml", "skip-test.yaml"}
CUSTOM_RULES = re.compile(r"^rule\d+$")
FINDING = re.compile(r'RuleID:\s*"([^"]+)".*?StartLine:\s*(\d+),\s*EndLine:\s*(\d+)', re.S)


def git_show(gitdir, commit, path):
    return subprocess.run(["git", "--git-dir", gitdir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def block(text, start):
    """The text of the brace block opening at or after `start` (braces inside
    Go string and rune literals do not count)."""
    i = text.index("{", start)
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c in "\"'":
            j += 1
            while text[j] != c:
                j += 2 if text[j] == "\\" else 1
        elif c == "`":
            j = text.index("`", j + 1)
        elif c in "{}":
            depth += 1 if c == "{" else -1
            if depth == 0:
                return text[i:j + 1]
        j += 1
    raise ValueError("unbalanced")


def main():
    gitdir, commit = sys.argv[1], sys.argv[2]
    test = git_show(gitdir, commit, "pkg/fanal/secret/scanner_test.go").decode()
    body = block(test, test.index("func TestSecretScanner("))
    named = {}
    for m in re.finditer(r"(\w+) := types\.SecretFinding\{", body):
        named[m.group(1)] = FINDING.findall(block(body, m.start()))[:1]
    # openAIFinding(ruleID, ...) builds a finding on line 1 (StartLine/EndLine 1)
    for m in re.finditer(r'(\w+) := openAIFinding\("([^"]+)"', body):
        named[m.group(1)] = [(m.group(2), "1", "1")]
    table = block(body, body.index("}{", body.index("tests := []struct")) + 1)
    files = {}
    for m in re.finditer(r'\n\t\t\{\n\t\t\tname:\s*"([^"]*)"', table):
        case = block(table, m.start())
        cfg = re.search(r'configPath:\s*(?:filepath\.Join\("testdata", "([^"]+)"\)|"testdata/([^"]+)")', case)
        inp = re.search(r'inputFilePath:\s*(?:filepath\.Join\("testdata", "([^"]+)"\)|"testdata/([^"]+)")', case)
        if not cfg or not inp:
            continue
        cfg = cfg.group(1) or cfg.group(2)
        inp = inp.group(1) or inp.group(2)
        if cfg not in BUILTIN_CONFIGS or "Findings:" not in case:
            continue
        fblock = block(case, case.index("Findings:"))
        found = FINDING.findall(fblock)
        for name in re.findall(r"\b(wantFinding\w*)\b", fblock):
            found += named.get(name, [])
        entry = files.setdefault(inp, {"positives": set(), "ignore": set(), "cases": []})
        entry["cases"].append(m.group(1))
        for rule, start, end in found:
            key = "ignore" if CUSTOM_RULES.match(rule) else "positives"
            entry[key].add((int(start), int(end), rule))
    for inp, e in sorted(files.items()):
        text = git_show(gitdir, commit, f"pkg/fanal/secret/testdata/{inp}")
        try:
            text = text.decode()
        except UnicodeDecodeError:
            continue
        # Trivy's private-key finding starts on the key's first base64 line,
        # drydock's on the BEGIN armor line above it: the same key, so the
        # range takes in that armor line.
        lines = text.splitlines()
        positives = sorted(
            (s - 1 if rule == "private-key" and s > 1 and "BEGIN" in lines[s - 2] else s, end, rule)
            for s, end, rule in e["positives"]
        )
        print(json.dumps({
            "src": f"trivy:pkg/fanal/secret/testdata/{inp}", "path": inp,
            "family": inp.rsplit(".", 1)[0], "cases": e["cases"], "text": text,
            "positives": positives, "ignore": sorted(e["ignore"]),
        }))


if __name__ == "__main__":
    main()
