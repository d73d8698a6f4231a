#!/usr/bin/env python3
"""Validates CycloneDX 1.6 JSON documents two ways, for drydock's tests:

1. Python `jsonschema` against the official schema vendored beside this file
   (bom-1.6.schema.json and the spdx/jsf schemas it references; see SOURCES.md),
   with format checks on;
2. `cyclonedx-python-lib`'s JsonStrictValidator (its own packaged copy of the schema).

usage: validate_cyclonedx.py FILE...
Prints one line per file ("FILE: ok" or the errors); exit 0 when all are valid, 1 when
any is not, 3 when a validator is not installed (the message names the pip package).
"""

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SCHEMAS = ["bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"]


def missing(package):
    print(f"MISSING VALIDATOR: pip install {package}", file=sys.stderr)
    sys.exit(3)


try:
    from jsonschema import Draft7Validator, FormatChecker
    from referencing import Registry, Resource
except ImportError:
    missing("jsonschema")
try:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
except ImportError:
    missing("cyclonedx-python-lib")


def official_validator():
    loaded = [json.loads((HERE / name).read_text()) for name in SCHEMAS]
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in loaded
    )
    return Draft7Validator(loaded[0], registry=registry, format_checker=FormatChecker())


def main(paths):
    official = official_validator()
    library = JsonStrictValidator(SchemaVersion.V1_6)
    failed = False
    for path in paths:
        text = pathlib.Path(path).read_text()
        errors = [
            f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in official.iter_errors(json.loads(text))
        ]
        lib_error = library.validate_str(text)
        if lib_error is not None:
            errors.append(f"cyclonedx-python-lib: {str(lib_error).splitlines()[0]}")
        if errors:
            failed = True
            print(f"{path}: INVALID")
            for e in errors[:20]:
                print(f"  {e}")
        else:
            print(f"{path}: ok (bom-1.6 schema + cyclonedx-python-lib)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
