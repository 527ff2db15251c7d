#!/usr/bin/env python3
"""Check TML files against the thoughtspot-tml library (the reference for TML field names).

Usage: check_tml.py DIR [DIR ...]

Every *.tml file under each DIR (recursively) is
  1. loaded with the matching thoughtspot-tml class (Table, Worksheet, Answer, Liveboard), chosen by
     the `<name>.<type>.tml` suffix or else by the document's object key (`pinboard` is a Liveboard);
  2. re-dumped by the library as YAML and as JSON, and each dump loaded again;
  3. compared with the library's YAML dump: same data and the same key order at every level, after
     the library's own dropping of nulls and empty values (so nothing was misread, renamed or lost,
     and our writer follows the library's dataclass field order).
When DIR has sub-directories `yaml` and `json`, files with the same relative path in both must also
hold the same data (our YAML and our JSON writers agree, read by Python's parsers).

Exits 1 naming each failing file, 2 on usage errors or when no file was found; prints
"N passed, N failed" last.
"""

from __future__ import annotations

import json
import pathlib
import sys
import warnings

from thoughtspot_tml import Answer, Liveboard, Table, Worksheet, __version__
from thoughtspot_tml import _yaml as tml_yaml
from thoughtspot_tml._tml import _recursive_remove_null

CLASSES = {
    "table": Table,
    "worksheet": Worksheet,
    "answer": Answer,
    "liveboard": Liveboard,
    "pinboard": Liveboard,
}


class CheckError(Exception):
    pass


def tml_type(path: pathlib.Path, data: object) -> str:
    parts = path.name.split(".")
    if len(parts) >= 3 and parts[-2] in CLASSES:
        return parts[-2]
    keys = [k for k in data if k in CLASSES] if isinstance(data, dict) else []
    if len(keys) != 1:
        raise CheckError(f"cannot tell the TML type (suffix or one of {sorted(CLASSES)} as object key)")
    return keys[0]


def normalized(data: dict) -> dict:
    """The document as the library will dump it: `pinboard` renamed in place, empties dropped."""
    renamed = {("liveboard" if k == "pinboard" else k): v for k, v in data.items()}
    return _recursive_remove_null(renamed)


def first_difference(a: object, b: object, path: str = "", other: str = "library's") -> str:
    """The first place where `a` and `b` differ (values, types, key order), or ""."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{path or '<root>'}: keys {list(a)} != {other} {list(b)}"
        for k in a:
            d = first_difference(a[k], b[k], f"{path}.{k}" if path else str(k), other)
            if d:
                return d
        return ""
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {other} {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]", other)
            if d:
                return d
        return ""
    if type(a) is not type(b) or a != b:
        return f"{path}: {a!r} != {other} {b!r}"
    return ""


def check_file(path: pathlib.Path) -> str:
    text = path.read_text(encoding="utf-8")
    try:
        data = tml_yaml.load(text)
    except Exception as e:  # noqa: BLE001 - report any parser failure
        raise CheckError(f"YAML/JSON does not parse: {e}") from None
    if not isinstance(data, dict):
        raise CheckError("top level is not a mapping")
    kind = tml_type(path, data)
    cls = CLASSES[kind]
    try:
        obj = cls.loads(text)
    except Exception as e:  # noqa: BLE001
        raise CheckError(f"{cls.__name__}.loads failed: {e}") from None
    dumps = {}
    for fmt in ("YAML", "JSON"):
        try:
            dumps[fmt] = obj.dumps(format_type=fmt)
            cls.loads(dumps[fmt])
        except Exception as e:  # noqa: BLE001
            raise CheckError(f"library {fmt} dump does not load again: {e}") from None
    ours = normalized(data)
    library = tml_yaml.load(dumps["YAML"])
    diff = first_difference(ours, library)
    if diff:
        raise CheckError(f"differs from the library's reading: {diff}")
    return kind


def check_pairs(root: pathlib.Path) -> list[tuple[str, str]]:
    """Pairs root/yaml/X and root/json/X must hold equal data."""
    yaml_dir, json_dir = root / "yaml", root / "json"
    if not (yaml_dir.is_dir() and json_dir.is_dir()):
        return []
    failures = []
    for y in sorted(yaml_dir.rglob("*.tml")):
        j = json_dir / y.relative_to(yaml_dir)
        name = f"{y} ~ {j}"
        if not j.exists():
            failures.append((name, "no JSON counterpart"))
            continue
        a = tml_yaml.load(y.read_text(encoding="utf-8"))
        b = json.loads(j.read_text(encoding="utf-8"))
        diff = first_difference(a, b, other="JSON's")
        if diff:
            failures.append((name, f"YAML and JSON differ: {diff}"))
    return failures


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")  # the library warns about deprecated but valid fields
    roots = [pathlib.Path(a) for a in argv[1:]]
    files = sorted(f for r in roots for f in r.rglob("*.tml"))
    if not files:
        print(f"check_tml: no *.tml files under {', '.join(map(str, roots))}", file=sys.stderr)
        return 2
    print(f"thoughtspot-tml {__version__}")
    passed, failures = 0, []
    for f in files:
        try:
            kind = check_file(f)
        except CheckError as e:
            failures.append((str(f), str(e)))
            print(f"FAIL {f}: {e}")
        else:
            passed += 1
            print(f"ok   {f} ({kind})")
    for r in roots:
        pair_failures = check_pairs(r)
        failures.extend(pair_failures)
        for name, why in pair_failures:
            print(f"FAIL {name}: {why}")
    if failures:
        print("\nfailing files:")
        for name, _ in failures:
            print(f"  {name}")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
