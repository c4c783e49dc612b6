#!/usr/bin/python3
"""Validates SARIF logs against the SARIF 2.1.0 JSON schema (draft 4).

    validate_sarif.py SCHEMA LOG...

Prints every schema violation as `LOG: JSON-PATH: message` and exits 1 when
there is one, 0 when every log is valid, 2 on a usage error or when
python3-jsonschema (Debian's package; scripts/bootstrap.sh installs it) is
missing. Run by tests/compiler/lint_cli_test.cc.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif.py: python3-jsonschema is not installed "
          "(apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    invalid = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print("%s: %s: %s" % (path, where, e.message))
        if errors:
            invalid += 1
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
