#!/usr/bin/env python3
"""Check the `order: [...]` lists of crates/tspot-tml/src/model/*.rs against thoughtspot-tml.

Each `tml_struct!` names the library dataclass it mirrors (`pub struct Table / "LogicalTableEDocProto"`)
and lists that dataclass's fields in order. This script compares every list with
`dataclasses.fields()` of the installed library (a trailing `_`, which betterproto adds to Python
keywords such as `with`, is dropped) and that every typed key is a field of the dataclass.

Usage: check_field_order.py [MODEL_DIR]   (default: crates/tspot-tml/src/model next to this repo)
Exits 1 naming each mismatch; prints "N passed, N failed" last.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import sys

from thoughtspot_tml import _scriptability

STRUCT = re.compile(
    r'pub struct (\w+) / "(\w+)" \{(?P<body>.*?)\n    \}\s*order: \[(?P<order>.*?)\]',
    re.DOTALL,
)
TYPED_KEY = re.compile(r'"(\w+)" =>')
STRING = re.compile(r'"(\w+)"')


def library_fields(name: str) -> list[str]:
    cls = getattr(_scriptability, name)
    return [f.name.rstrip("_") for f in dataclasses.fields(cls)]


def main(argv: list[str]) -> int:
    default = pathlib.Path(__file__).resolve().parents[2] / "crates/tspot-tml/src/model"
    model_dir = pathlib.Path(argv[1]) if len(argv) > 1 else default
    passed, failed = 0, 0
    for path in sorted(model_dir.glob("*.rs")):
        for m in STRUCT.finditer(path.read_text(encoding="utf-8")):
            rust, lib = m.group(1), m.group(2)
            order = STRING.findall(m.group("order"))
            typed = TYPED_KEY.findall(m.group("body"))
            try:
                expected = library_fields(lib)
            except AttributeError:
                print(f"FAIL {path.name}: {rust} names unknown dataclass {lib}")
                failed += 1
                continue
            problems = []
            if order != expected:
                problems.append(f"order {order} != library {expected}")
            unknown = [k for k in typed if k not in expected]
            if unknown:
                problems.append(f"typed keys not in the library: {unknown}")
            if problems:
                print(f"FAIL {path.name}: {rust} / {lib}: " + "; ".join(problems))
                failed += 1
            else:
                print(f"ok   {rust} / {lib} ({len(typed)} of {len(expected)} fields typed)")
                passed += 1
    if passed + failed == 0:
        print(f"check_field_order: no tml_struct! found under {model_dir}", file=sys.stderr)
        return 2
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
