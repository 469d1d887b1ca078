"""Each data rule on its own, on tables of a few rows built here (no data files needed)."""

import pytest

from oilroutes import rules
from oilroutes.bib import entry_problems
from oilroutes.errors import DataError
from oilroutes.paths import resource_path
from oilroutes.rules import RULES, Table
from oilroutes.validate import check_descriptor, read_text


def table(fields, rows, lookup=None, geometries=None, **extra):
    """A Table with rows on lines 2, 3, ... (or features 1, 2, ... when there are geometries)."""
    schema = {"fields": [{"name": n, "type": t} for n, t in fields.items()]}
    schema.update(extra.pop("schema", {}))
    res = {"name": "t", "schema": schema, **extra}
    first = 1 if geometries is not None else 2
    lines = list(range(first, first + len(rows)))
    return Table("t", res, rows, lines, "data/t.csv", geometries=geometries, lookup=lookup)


def rows_fields(problems):
    return [(row, field) for row, field, _ in problems]


def test_the_table_names_every_rule_once():
    assert set(RULES) == {
        "non-empty",
        "non-finite",
        "blank-text",
        "source-keys",
        "order",
        "sum",
        "one-preferred",
        "foreign-keys",
        "bbox",
        "geojson-geometry",
        "geojson-properties",
        "waypoints",
    }
    assert len(set(RULES.values())) == len(RULES)


def test_non_empty():
    assert rules.non_empty(table({"a": "string"}, [])) == [
        (None, None, "resource 't' has no rows: the book needs at least one")
    ]
    assert rules.non_empty(table({"a": "string"}, [{"a": "x"}])) == []
    assert rules.non_empty(table({"a": "string"}, [], **{"x-may-be-empty": True})) == []


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "nan", "NaN", "1e400", float("inf"), float("nan")])
def test_non_finite_refuses(cell):
    assert rows_fields(rules.non_finite(table({"v": "number"}, [{"v": "1.5"}, {"v": cell}]))) == [(3, "v")]


def test_non_finite_accepts_ordinary_numbers_and_blanks():
    assert (
        rules.non_finite(table({"v": "number", "n": "integer"}, [{"v": "1e3", "n": "4"}, {"v": "", "n": None}])) == []
    )


def test_blank_text():
    t = table({"s": "string", "v": "number"}, [{"s": "   ", "v": ""}, {"s": "", "v": ""}, {"s": "ok", "v": ""}])
    assert rows_fields(rules.blank_text(t)) == [(2, "s")]


def test_source_keys(tmp_path):
    (tmp_path / "references.bib").write_text(
        "@online{known,\n  title = {T},\n  url = {https://example.org/x},\n  urldate = {2026-01-01}\n}\n",
        encoding="utf-8",
    )
    t = table({"source": "string"}, [{"source": "known"}, {"source": "known;unknown"}])
    t.directory = tmp_path
    problems = rules.source_keys(t)
    assert rows_fields(problems) == [(3, "source")] and "'unknown'" in problems[0][2]
    assert rules.source_keys(table({"a": "string"}, [{"a": "x"}])) == []  # no source column, nothing to check


def test_order_compares_dates_as_dates_and_numbers_as_numbers():
    t = table(
        {"start": "date", "end": "date"},
        [
            {"start": "2022-3-23", "end": "2022-04-23"},  # text order would say 0 < 3
            {"start": "2022-03-23", "end": "2022-3-1"},
        ],
        **{"x-order": [["start", "end"]]},
    )
    assert rows_fields(rules.order(t)) == [(3, "end")]
    n = table(
        {"lo": "number", "hi": "number"},
        [{"lo": "9", "hi": "10"}, {"lo": "8.5", "hi": "7.6"}],
        **{"x-order": [["lo", "hi"]]},
    )
    assert rows_fields(rules.order(n)) == [(3, "hi")]


def test_sums():
    spec = {"x-sum": [{"field": "pct", "total": 100, "tolerance": 0.01}]}
    assert rules.sums(table({"pct": "number"}, [{"pct": "60"}, {"pct": "40"}], **spec)) == []
    assert rows_fields(rules.sums(table({"pct": "number"}, [{"pct": "60"}, {"pct": "41"}], **spec))) == [(None, "pct")]


def test_one_preferred():
    spec = {"x-one-preferred": ["year"]}
    ok = table(
        {"year": "integer", "preferred": "boolean"},
        [{"year": "1", "preferred": "true"}, {"year": "1", "preferred": "false"}],
        **spec,
    )
    two = table(
        {"year": "integer", "preferred": "boolean"},
        [{"year": "1", "preferred": "true"}, {"year": "1", "preferred": "true"}],
        **spec,
    )
    none = table(
        {"year": "integer", "preferred": "boolean"},
        [{"year": "1", "preferred": "false"}, {"year": "2", "preferred": "true"}],
        **spec,
    )
    assert rules.one_preferred(ok) == []
    assert rows_fields(rules.one_preferred(two)) == [(3, "preferred")]
    assert rows_fields(rules.one_preferred(none)) == [(2, "preferred")]


def test_foreign_keys():
    fk = {"schema": {"foreignKeys": [{"fields": "site", "reference": {"resource": "sites", "fields": "site_id"}}]}}
    t = table(
        {"site": "string"}, [{"site": "a"}, {"site": "zz"}, {"site": ""}], lookup=lambda name: [{"site_id": "a"}], **fk
    )
    assert rows_fields(rules.foreign_keys(t)) == [(3, "site")]


BOXES = {"x-bbox": {"field": "country", "lat": "lat", "lon": "lon", "boxes": {"Germany": [5.61, 47.03, 15.27, 55.31]}}}


def test_bbox():
    fields = {"country": "string", "lat": "number", "lon": "number"}
    t = table(
        fields,
        [
            {"country": "Germany", "lat": "53.1", "lon": "14.24"},  # Schwedt
            {"country": "Germany", "lat": "14.24", "lon": "53.1"},  # swapped
            {"country": "Atlantis", "lat": "0", "lon": "0"},
        ],
        **BOXES,
    )
    assert rows_fields(rules.bbox(t)) == [(3, "lat"), (3, "lon"), (4, "country")]


def line(*pts):
    return {"type": "LineString", "coordinates": [list(p) for p in pts]}


SITES = [{"site_id": "a", "lon": "50.0", "lat": "45.0"}, {"site_id": "b", "lon": "51.0", "lat": "46.0"}]
WAY = {"x-waypoints": {"field": "waypoints", "resource": "sites", "tolerance_km": 1}}


def test_waypoints():
    fields = {"waypoints": "string"}
    rows = [{"waypoints": "a>b"}] * 4 + [{"waypoints": "a>nowhere"}]
    geoms = [
        line((50.0, 45.0), (51.0, 46.0)),  # exact
        line((50.005, 45.0), (51.0, 46.0)),  # 0.4 km off: within tolerance
        line((45.0, 50.0), (51.0, 46.0)),  # first point swapped
        line((50.0, 45.0)),  # one point for two sites
        line((50.0, 45.0), (51.0, 46.0)),
    ]
    t = table(fields, rows, lookup=lambda name: SITES, geometries=geoms, **WAY)
    assert rows_fields(rules.waypoints(t)) == [(3, "geometry"), (4, "geometry"), (5, "waypoints")]


def test_geojson_geometry():
    geoms = [
        line((0, 0), (1, 1)),
        {"type": "Point", "coordinates": [0, 0]},
        line((0, 0)),
        line((200, 0), (1, 1)),
        line((float("nan"), 0), (1, 1)),
        {"type": "LineString", "coordinates": "x"},
    ]
    t = table({"a": "string"}, [{}] * len(geoms), geometries=geoms)
    assert rows_fields(rules.geojson_geometry(t)) == [
        (2, "geometry"),
        (3, "geometry"),
        (4, "geometry"),
        (5, "geometry"),
        (6, "geometry"),
    ]
    assert rules.geojson_geometry(table({"a": "string"}, [{"a": "x"}])) == []  # a CSV has no geometries


def test_geojson_properties():
    t = table(
        {"a": "string", "b": "number"},
        [{"a": "x", "b": 1}, {"a": "x"}, {"a": "x", "b": 1, "c": "?"}],
        geometries=[line((0, 0), (1, 1))] * 3,
    )
    assert rows_fields(rules.geojson_properties(t)) == [(2, "b"), (3, "c")]


# ---------------------------------------------------------------- the pieces around the rules


def test_descriptor_shape_problems_name_where_in_the_descriptor():
    good = {"resources": [{"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "x", "type": "string"}]}}]}
    assert check_descriptor(good) == []
    assert check_descriptor([1])[0][2].startswith("the descriptor must be a JSON object")
    bad_type = {
        "resources": [{"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "x", "type": "coordinate"}]}}]
    }
    assert [f for _, f, _ in check_descriptor(bad_type)] == ["resources[0] (a).schema.fields[0].type"]
    no_path = {"resources": [{"name": "a", "schema": {"fields": [{"name": "x", "type": "string"}]}}]}
    assert [f for _, f, _ in check_descriptor(no_path)] == ["resources[0] (a).path"]


@pytest.mark.parametrize("path", ["/etc/hostname", "../x.csv", "a/../../x.csv", "C:\\x.csv", "", 3])
def test_resource_paths_stay_inside_the_data_directory(tmp_path, path):
    with pytest.raises(DataError) as info:
        resource_path(path, tmp_path, "r")
    assert info.value.fields == {"path"}


def test_resource_path_in_a_subdirectory_is_fine(tmp_path):
    assert resource_path("sub/a.csv", tmp_path) == tmp_path / "sub" / "a.csv"


@pytest.mark.parametrize(
    "raw, says, row",
    [
        ("a,b\n1,2\n".encode("utf-16"), "UTF-16", None),
        (b"a,b\n1,caf\xe9\n", "latin-1", 2),
    ],
)
def test_encodings_other_than_utf8_are_named(tmp_path, raw, says, row):
    p = tmp_path / "t.csv"
    p.write_bytes(raw)
    with pytest.raises(DataError) as info:
        read_text(p, "data/t.csv", csv_header=True)
    assert says in str(info.value) and "UTF-8 is required" in str(info.value)
    assert row is None or info.value.rows == {row} and info.value.fields == {"b"}


@pytest.mark.parametrize(
    "url, urldate, fields",
    [
        ("https://example.org/a", "2026-01-01", []),
        ("http://example.org", "2026-01-01", []),
        ("javascript:alert(1)", "2026-01-01", ["url"]),
        ("not a url at all", "2026-01-01", ["url"]),
        ("https://example.org/a", "last week", ["urldate"]),
        ("https://example.org/a", "2026-02-30", ["urldate"]),
    ],
)
def test_bibliography_entries(url, urldate, fields):
    problems = entry_problems("k", {"title": "T", "url": url, "urldate": urldate}, 7)
    assert [f for _, f, _ in problems] == fields
    assert all(row == 7 for row, _, _ in problems)
