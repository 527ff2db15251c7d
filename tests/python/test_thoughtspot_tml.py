"""Every document tspot exports loads with thoughtspot-tml.

thoughtspot-tml (the community TML library, the reference for TML field names, types and order) must
read what `metadata/tml/export` hands out: each object, YAML and JSON, exported through the
`thoughtspot-rest-api-v1` library's export methods, is loaded with `Table/Worksheet/Answer/
Liveboard.loads`, dumped again by the library (YAML and JSON) and reloaded, and must hold the same
data in the same key order as the library's own reading (nothing misread, renamed or lost). This is
the check tests/tml/check_tml.py makes of tspot-tml's samples, made here of the live server's output.

The objects are the demo's and every other table, worksheet, answer and Liveboard the server lists
when this runs (test_rest_api_v1.py, which runs first, imports answers with awkward names, a worksheet
copy and a Liveboard).
"""

import json
import warnings

import pytest
from thoughtspot_rest_api_v1 import MetadataTypes, TSRestApiV1

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # "ThoughtSpot deprecated 'Pinboard' in May 2022"
    from thoughtspot_tml import Answer, Liveboard, Table, Worksheet
    from thoughtspot_tml import _yaml as tml_yaml
    from thoughtspot_tml._tml import _recursive_remove_null

from conftest import ADMIN_USER
from test_rest_api_v1 import DEMO, DEMO_TYPES, LIVEBOARD, signed_in

CLASSES = {"table": Table, "worksheet": Worksheet, "answer": Answer, "liveboard": Liveboard}


@pytest.fixture(scope="module")
def ts(server):
    client = signed_in(server, ADMIN_USER, server.admin_password)
    yield client
    client.session_logout()


def first_difference(ours, theirs, path: str = "") -> str:
    """Where two loaded documents differ in values, types or key order ("" when they do not)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        if list(ours) != list(theirs):
            return f"{path or '<root>'}: keys {list(ours)} != library's {list(theirs)}"
        for key in ours:
            found = first_difference(ours[key], theirs[key], f"{path}.{key}" if path else str(key))
            if found:
                return found
        return ""
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{path}: {len(ours)} items != library's {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return ""
    if type(ours) is not type(theirs) or ours != theirs:
        return f"{path}: {ours!r} != library's {theirs!r}"
    return ""


def check_loads(kind: str, text: str, what: str):
    """thoughtspot-tml loads `text`, round-trips it, and reads exactly what tspot wrote."""
    cls = CLASSES[kind]
    with warnings.catch_warnings():
        # The library warns about deprecated but valid fields (a Liveboard tile's `size`).
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            obj = cls.loads(text)
        except Exception as e:  # noqa: BLE001 - any failure to load is the finding
            pytest.fail(f"{what}: {cls.__name__}.loads failed: {e!r}\n{text[:2000]}")
        dumps = {fmt: obj.dumps(format_type=fmt) for fmt in ("YAML", "JSON")}
        for fmt, dumped in dumps.items():
            again = cls.loads(dumped)
            assert again.guid == obj.guid, f"{what}: the library's {fmt} dump does not load back"
    ours = _recursive_remove_null(tml_yaml.load(text))
    difference = first_difference(ours, tml_yaml.load(dumps["YAML"]))
    assert not difference, f"{what}: differs from thoughtspot-tml's reading: {difference}"
    return obj


def exported_objects(ts: TSRestApiV1) -> dict:
    """GUID -> TML type of every table, worksheet, answer and Liveboard the server lists."""
    found = {}
    for object_type, kinds in [
        (MetadataTypes.TABLE, {"ONE_TO_ONE_LOGICAL": "table", "WORKSHEET": "worksheet"}),
        (MetadataTypes.ANSWER, None),
        (MetadataTypes.LIVEBOARD, None),
    ]:
        for header in ts.metadata_listobjectheaders(object_type):
            if kinds is None:
                found[header["id"]] = "answer" if object_type == MetadataTypes.ANSWER else "liveboard"
            elif header.get("subtype") in kinds:
                found[header["id"]] = kinds[header["subtype"]]
    assert DEMO_TYPES.items() <= found.items()
    return found


def test_every_exported_document_loads_with_thoughtspot_tml(ts):
    objects = exported_objects(ts)
    # The demo's 8 objects, plus what test_rest_api_v1.py imported when it ran first.
    assert len(objects) >= len(DEMO)
    for guid, kind in objects.items():
        for formattype in ("YAML", "JSON"):
            text = ts.metadata_tml_export_string(guid, formattype=formattype)
            obj = check_loads(kind, text, f"{kind} {guid} ({formattype})")
            assert obj.guid == guid
        # The library's dict form (JSON edoc, json.loads) loads as well, without fqn too.
        for export_fqn in (True, False):
            document = ts.metadata_tml_export(guid, export_fqn=export_fqn)
            check_loads(kind, json.dumps(document), f"{kind} {guid} (metadata_tml_export, export_fqn={export_fqn})")


def test_demo_objects_read_as_expected_by_thoughtspot_tml(ts):
    liveboard = check_loads("liveboard", ts.metadata_tml_export_string(LIVEBOARD), "liveboard")
    assert liveboard.liveboard.name == "Sales Overview"
    assert [v.answer.name for v in liveboard.liveboard.visualizations] == [
        "Total Sales", "Sales by Region", "Monthly Sales", "Sales by Category", "Store Performance",
    ]
    worksheet = check_loads("worksheet", ts.metadata_tml_export_string(DEMO["Retail Sales"]), "worksheet")
    assert [t.fqn for t in worksheet.worksheet.tables] == [DEMO["fact_sales"], DEMO["dim_store"], DEMO["dim_product"]]
    assert worksheet.worksheet.formulas[0].name == "Profit"
    table = check_loads("table", ts.metadata_tml_export_string(DEMO["fact_sales"], formattype="JSON"), "table")
    assert [c.db_column_name for c in table.table.columns] == [
        "sale_id", "order_date", "store_id", "product_id", "quantity", "unit_price", "amount", "cost",
    ]


def test_associated_exports_load_with_thoughtspot_tml(ts):
    for guid in (LIVEBOARD, *[DEMO[name] for name in ("Sales by Region", "Monthly Sales Trend", "Top 10 Products")]):
        # JSON: every object of the associated export.
        response = ts.metadata_tml_export(guid, export_associated=True)
        for entry in response["object"]:
            info = entry["info"]
            check_loads(info["type"], entry["edoc"], f"{info['type']} {info['id']} (associated of {guid}, JSON)")
        # YAML: the requested object of the string variant, and its map of the rest.
        text, names = ts.metadata_tml_export_string_with_associations_map(guid)
        kind = DEMO_TYPES[guid]
        check_loads(kind, text, f"{kind} {guid} (associations map, YAML)")
        for name, associated in names.items():
            check_loads(
                DEMO_TYPES[associated],
                ts.metadata_tml_export_string(associated),
                f"{name} (associated of {guid}, YAML)",
            )
