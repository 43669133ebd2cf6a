#!/usr/bin/env python3
"""Validates every line of a JSON Lines file against a JSON Schema (draft 2020-12).

    check-schema.py SCHEMA.json FILE.jsonl

Prints one line per invalid line (its number, where in the value, and the most specific reason) and a summary;
exits 1 if any line is invalid, 2 if the schema itself is not a valid schema. The Swift process
tests run every reply of every transcript through it (see Tests/backtalkTests), with the
jsonschema version pinned in tools/schema-requirements.txt.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        print(f"{sys.argv[1]}: not a valid schema: {error.message}")
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    invalid = 0
    total = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            total += 1
            errors = list(validator.iter_errors(json.loads(line)))
            if errors:
                invalid += 1
                # The most specific error (best_match looks inside oneOf's alternatives).
                error = jsonschema.exceptions.best_match(errors)
                where = "/".join(str(p) for p in error.absolute_path) or "(root)"
                print(f"line {number}: {where}: {error.message}")
    print(f"{total - invalid} of {total} lines valid (jsonschema {jsonschema_version()})")
    return 1 if invalid else 0


def jsonschema_version() -> str:
    from importlib.metadata import version

    return version("jsonschema")


if __name__ == "__main__":
    sys.exit(main())
