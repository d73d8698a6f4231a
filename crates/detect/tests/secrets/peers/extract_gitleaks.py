#!/usr/bin/env python3
"""Turn gitleaks' own rule test cases into labeled samples for drydock.

gitleaks (github.com/gitleaks/gitleaks) validates every rule in
cmd/generate/config/rules/*.go against literal `tps` (must be found) and
`fps` (must not be found) lists.  This script reads only those *literal*
test strings -- never the rules' regexes -- and writes one JSON object per
line: {"src", "rule", "family", "label": "tp"|"fp", "text"}.  Strings built
at run time from a regex (secrets.NewSecret) or by concatenation are skipped:
they would be derived from gitleaks' patterns.  A literal secret handed to
GenerateSampleSecrets(identifier, secret) becomes `identifier_token = "secret"`.

usage: extract_gitleaks.py <gitleaks git dir> <commit> > gitleaks.jsonl
"""
import json
import re
import subprocess
import sys

TOKEN = re.compile(
    r'`[^`]*`|"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/|[A-Za-z_][A-Za-z0-9_.]*|\S',
    re.S,
)


def go_string(tok):
    if tok.startswith("`"):
        return tok[1:-1]
    return json.loads(tok) if "\\x" not in tok else bytes(tok[1:-1], "utf-8").decode("unicode_escape")


def samples(src):
    """Yield (rule_id, label, text) for literal elements of tps/fps lists."""
    toks = [t for t in TOKEN.findall(src) if not t.startswith(("//", "/*"))]
    rule = None
    i = 0
    while i < len(toks) - 2:
        t = toks[i]
        if t == "RuleID" and toks[i + 1] == ":":
            rule = go_string(toks[i + 2])
        # GenerateSampleSecrets(identifier, "<literal secret>") wraps a literal
        # in assignments; one such line is kept: `<identifier>_token = "<secret>"`
        if t == "utils.GenerateSampleSecrets" and rule and toks[i + 1] == "(" \
                and toks[i + 2][0] in "`\"" and toks[i + 3] == "," \
                and toks[i + 4][0] in "`\"" and toks[i + 5] == ")":
            yield rule, "tp", f'{go_string(toks[i + 2])}_token = "{go_string(toks[i + 4])}"'
        # `tps := ...` / `tps = ...` (the tokenizer splits ":=" into ":" "=")
        if t in ("tps", "fps") and rule and toks[i + 1] in (":", "="):
            label = "tp" if t == "tps" else "fp"
            j = i + 1
            while toks[j] in (":", "="):
                j += 1
            # literals count only directly inside `[]string{...}` or `append(...)`
            depth = 0
            collecting = []
            prev = None
            while j < len(toks):
                u = toks[j]
                if u in "({":
                    collecting.append((u == "{" and prev == "string") or (u == "(" and prev == "append"))
                    depth += 1
                elif u in ")}":
                    collecting.pop()
                    depth -= 1
                    if depth == 0:
                        break
                elif collecting and collecting[-1] and u[0] in "`\"":
                    if prev in (",", "(", "{") and toks[j + 1] in (",", ")", "}"):
                        try:
                            yield rule, label, go_string(u)
                        except ValueError:
                            pass
                prev = u
                j += 1
            i = j
        i += 1


def main():
    gitdir, commit = sys.argv[1], sys.argv[2]
    names = subprocess.run(
        ["git", "--git-dir", gitdir, "ls-tree", "--name-only", commit, "cmd/generate/config/rules/"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    for name in sorted(names):
        if not name.endswith(".go") or name.endswith("_test.go"):
            continue
        src = subprocess.run(
            ["git", "--git-dir", gitdir, "show", f"{commit}:{name}"],
            check=True, capture_output=True, text=True,
        ).stdout
        family = name.rsplit("/", 1)[1][:-3]
        for rule, label, text in samples(src):
            if text.strip():
                print(json.dumps({"src": f"gitleaks:{name}", "rule": rule, "family": family,
                                  "label": label, "text": text}))


if __name__ == "__main__":
    main()
