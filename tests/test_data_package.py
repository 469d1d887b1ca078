"""The data package validates, and its descriptor documents everything in data/."""

import csv
import json

import frictionless as fl
import pandas as pd
import pytest

from oilroutes import data
from oilroutes.bib import references, split_keys
from oilroutes.paths import data_dir
from oilroutes.validate import load_descriptor, validate_package

DESCRIPTOR = load_descriptor()


def test_every_resource_validates():
    counts = validate_package()
    assert set(counts) == {r["name"] for r in DESCRIPTOR["resources"]}
    assert all(n > 0 for n in counts.values())


def test_descriptor_is_a_valid_frictionless_data_package():
    package = fl.Package.from_descriptor(
        json.loads((data_dir() / "datapackage.json").read_text()), basepath=str(data_dir())
    )
    assert package.name == "kazakhstan-oil-export-routes"
    assert not fl.Package.validate_descriptor(json.loads((data_dir() / "datapackage.json").read_text())).flatten(
        ["message"]
    )


def test_every_data_file_is_described():
    described = {r["path"] for r in DESCRIPTOR["resources"]}
    on_disk = {p.name for p in data_dir().iterdir() if p.suffix in (".csv", ".geojson")}
    assert on_disk == described


@pytest.mark.parametrize("resource", DESCRIPTOR["resources"], ids=lambda r: r["name"])
def test_every_field_has_a_description_and_numbers_have_units(resource):
    for field in resource["schema"]["fields"]:
        assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
        if field["type"] == "number":
            assert field.get("unit"), f"{resource['name']}.{field['name']} has no unit"
    assert any(f["name"] == "source" for f in resource["schema"]["fields"]), f"{resource['name']} has no source column"


def test_every_bibliography_entry_has_url_and_access_date():
    refs = references()
    assert len(refs) > 20
    for key, entry in refs.items():
        assert entry["url"].startswith("http"), key
        assert len(entry["urldate"]) == 10, key


def test_every_source_key_used_resolves():
    refs = references()
    for res in DESCRIPTOR["resources"]:
        if res.get("format") == "geojson":
            continue
        with open(data_dir() / res["path"], newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for key in split_keys(row["source"]):
                    assert key in refs, f"{res['path']}: {key}"


def test_route_lines_join_their_waypoint_sites_exactly():
    legs, sites = data.load_legs(), data.load_sites().set_index("site_id")
    for _, leg in legs.iterrows():
        ids = leg["waypoints"].split(">")
        coords = list(leg.geometry.coords)
        assert len(ids) == len(coords), leg["leg_id"]
        for sid, (lon, lat) in zip(ids, coords):
            assert (sites.loc[sid, "lon"], sites.loc[sid, "lat"]) == pytest.approx((lon, lat)), (leg["leg_id"], sid)


def test_loaders_return_typed_frames():
    sites = data.load_sites()
    assert sites.crs.to_epsg() == 4326
    assert sites["lat"].dtype == "float64"
    exports = data.load_exports_by_route()
    assert str(exports["year"].dtype) == "Int64"
    assert exports["preferred"].dtype == "boolean"


def test_every_column_has_the_type_its_descriptor_names_and_empty_cells_are_missing():
    from oilroutes.validate import read_rows

    kinds = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "object"}
    for res in load_descriptor(data_dir())["resources"]:
        frame, rows = data.load(res["name"]), read_rows(res["name"])
        assert list(frame.columns) == [f["name"] for f in res["schema"]["fields"]], res["name"]
        for f in res["schema"]["fields"]:
            col = frame[f["name"]]
            if f["type"] in ("date", "datetime"):
                assert pd.api.types.is_datetime64_dtype(col), (res["name"], f["name"])
            else:
                assert str(col.dtype) == kinds[f["type"]], (res["name"], f["name"], col.dtype)
            empty = [r.get(f["name"]) in ("", None) for r in rows]
            assert list(col.isna()) == empty, (res["name"], f["name"])


def test_loaders_work_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(data.load_routes()) > 5


def test_source_labels_are_plain_text():
    from oilroutes.bib import source_label

    label = source_label("astanatimes2023natfund;kursiv2021production")
    assert "{" not in label and "\\" not in label
    assert "$61 billion" in label and "101%" in label


def test_a_derivation_is_worked_out_once_per_content_of_the_data_and_again_after_an_edit(data_copy):
    """``data.derived`` keeps a derivation under the package's content: asked again, it hands back a fresh
    copy of what it worked out; after an edit to a data file it works it out again, from the new data."""
    calls = []

    @data.derived
    def names(prefix: str = "") -> pd.DataFrame:
        calls.append(prefix)
        routes = data.load("routes")
        return routes.assign(name=prefix + routes["name"])

    first, again = names(), names()
    assert calls == [""] and first.equals(again) and first is not again
    first.loc[0, "name"] = "changed by a caller"  # each caller's copy is its own
    assert names().loc[0, "name"] == "CPC (Tengiz–Novorossiysk)" and calls == [""]
    assert names(prefix="route: ").loc[0, "name"] == "route: CPC (Tengiz–Novorossiysk)" and len(calls) == 2

    path = data_copy / "routes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("CPC (Tengiz–Novorossiysk)", "CPC"), encoding="utf-8")
    assert names().loc[0, "name"] == "CPC" and len(calls) == 3

    frame = pd.DataFrame({"a": [1]})  # an argument that cannot be a key: worked out each time
    derived_len = data.derived(lambda df: calls.append("frame") or len(df))
    assert derived_len(frame) == derived_len(frame) == 1 and calls.count("frame") == 2
