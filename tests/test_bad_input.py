"""A broken data file stops with an error naming the file, the row and the field.

Each case corrupts one file in a private copy of data/ and checks the message.
"""

import csv
import json
import os

import pytest

from oilroutes import data
from oilroutes.errors import DataError
from oilroutes.validate import validate_package


def _edit_csv(path, fn):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = fn(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _set_cell(name, row_index, column, value):
    """Set a cell; row_index 1 is the first data row (CSV line 2)."""

    def fn(rows):
        rows[row_index][rows[0].index(column)] = value
        return rows

    return lambda d: _edit_csv(d / name, fn)


def _drop_column(name, column):
    def fn(rows):
        i = rows[0].index(column)
        return [r[:i] + r[i + 1 :] for r in rows]

    return lambda d: _edit_csv(d / name, fn)


def _duplicate_row(name, row_index):
    return lambda d: _edit_csv(d / name, lambda rows: rows + [rows[row_index]])


def _geojson(fn):
    def apply(d):
        p = d / "route_legs.geojson"
        p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def _geo_edit(fn):
    def edit(text):
        doc = json.loads(text)
        fn(doc)
        return json.dumps(doc)

    return _geojson(edit)


def _reencode(name, encoding, edit=None):
    """Rewrite a file in another encoding (after an optional text edit)."""

    def apply(d):
        p = d / name if name != "references.bib" else d.parent / name
        text = p.read_text(encoding="utf-8")
        text = edit(text) if edit else text
        p.write_bytes(text.encode(encoding, errors="replace"))

    return apply


def _descriptor(fn, replace=False):
    """Edit the parsed descriptor in place (or, with replace, write what fn returns instead)."""

    def apply(d):
        p = d / "datapackage.json"
        doc = json.loads(p.read_text(encoding="utf-8"))
        out = fn(doc)
        p.write_text(json.dumps(out if replace else doc), encoding="utf-8")

    return apply


def _resource(doc, name):
    return next(r for r in doc["resources"] if r["name"] == name)


def _set_path(name, path):
    return _descriptor(lambda doc: _resource(doc, name).__setitem__("path", path))


def _bib(old, new):
    def apply(d):
        p = d.parent / "references.bib"
        text = p.read_text(encoding="utf-8")
        assert old in text, old
        p.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _bib_line(key):
    """The line the entry starts on, counted in the clean copy."""

    def line(d):
        lines = (d.parent / "references.bib").read_text(encoding="utf-8").splitlines()
        return next(i for i, text in enumerate(lines, start=1) if text.startswith("@") and "{" + key + "," in text)

    return line


def _header_only(name):
    return lambda d: _edit_csv(d / name, lambda rows: rows[:1])


def _both(*steps):
    def apply(d):
        for step in steps:
            step(d)

    return apply


def _swap_first_point(feature):
    def fn(doc):
        c = doc["features"][feature]["geometry"]["coordinates"]
        c[0] = [c[0][1], c[0][0]]

    return _geo_edit(fn)


def _move_last_point(feature, dlon):
    def fn(doc):
        doc["features"][feature]["geometry"]["coordinates"][-1][0] += dlon

    return _geo_edit(fn)


def _outside_file(d, text="SECRET-CONTENTS-42\n"):
    """A CSV outside the data directory, whose contents must never be read into a message."""
    p = d.parent / "outside" / "production.csv"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def _symlink_out(d):
    (d / "evil.csv").symlink_to(_outside_file(d))
    _set_path("production", "evil.csv")(d)


def _into_subdir(d):
    """A bad copy of production.csv under sub/, while the good data/production.csv stays."""
    (d / "sub").mkdir()
    (d / "sub" / "production.csv").write_text((d / "production.csv").read_text(encoding="utf-8"), encoding="utf-8")
    _set_cell("sub/production.csv", 1, "production_mt", "-5")(d)
    _set_path("production", "sub/production.csv")(d)


def _multiline_note_then_bad_lat(d):
    _set_cell("sites.csv", 1, "note", "first line of a note\nsecond line of the same note")(d)
    _set_cell("sites.csv", 3, "lat", "146.15")(d)


CASES = {
    # id: (corruption, file in message, field in message, row in message or None, loader[, words the message must contain])
    "missing file": (
        lambda d: (d / "exports_by_route.csv").unlink(),
        "exports_by_route.csv",
        None,
        None,
        data.load_exports_by_route,
    ),
    "missing column": (
        _drop_column("exports_by_route.csv", "volume_mt"),
        "exports_by_route.csv",
        "volume_mt",
        None,
        data.load_exports_by_route,
    ),
    "wrong type": (
        _set_cell("exports_by_route.csv", 3, "volume_mt", "about nine"),
        "exports_by_route.csv",
        "volume_mt",
        4,
        data.load_exports_by_route,
    ),
    "negative volume": (
        _set_cell("exports_by_route.csv", 2, "volume_mt", "-15.4"),
        "exports_by_route.csv",
        "volume_mt",
        3,
        data.load_exports_by_route,
    ),
    "share above 100%": (
        _set_cell("exports_by_route.csv", 6, "reported_share_pct", "181"),
        "exports_by_route.csv",
        "reported_share_pct",
        7,
        data.load_exports_by_route,
    ),
    "unknown source key": (
        _set_cell("exports_total.csv", 1, "source", "nosuchsource2099"),
        "exports_total.csv",
        "source",
        2,
        data.load_exports_total,
    ),
    # the duplicated row is appended, so it sits on the line after the file's last one
    "duplicate key": (
        _duplicate_row("sites.csv", 3),
        "sites.csv",
        "site_id",
        lambda d: 1 + sum(1 for _ in (d / "sites.csv").open(encoding="utf-8")),
        data.load_sites,
    ),
    "latitude out of range": (_set_cell("sites.csv", 1, "lat", "146.15"), "sites.csv", "lat", 2, data.load_sites),
    "bad date": (
        _set_cell("cpc_events.csv", 2, "start_date", "2022-02-30"),
        "cpc_events.csv",
        "start_date",
        3,
        lambda: data.load("cpc_events"),
    ),
    "end before start": (
        _set_cell("cpc_events.csv", 2, "end_date", "2022-03-01"),
        "cpc_events.csv",
        "end_date",
        3,
        lambda: data.load("cpc_events"),
    ),
    "malformed GeoJSON": (_geojson(lambda t: t[: len(t) // 2]), "route_legs.geojson", None, None, data.load_legs),
    "GeoJSON coordinate out of range": (
        _geo_edit(lambda doc: doc["features"][1]["geometry"]["coordinates"].__setitem__(0, [251.9, 47.1])),
        "route_legs.geojson",
        "geometry",
        2,
        data.load_legs,
    ),
    "GeoJSON property of wrong type": (
        _geo_edit(lambda doc: doc["features"][0]["properties"].__setitem__("capacity", "lots")),
        "route_legs.geojson",
        "capacity",
        1,
        data.load_legs,
    ),
    "unknown route in foreign key": (
        _set_cell("exports_by_route.csv", 1, "route_id", "teleport"),
        "exports_by_route.csv",
        "route_id",
        2,
        data.load_exports_by_route,
    ),
    "value outside the enumeration": (
        _set_cell("routes.csv", 1, "crosses_russia", "maybe"),
        "routes.csv",
        "crosses_russia",
        2,
        data.load_routes,
    ),
    "two preferred figures": (
        _set_cell("exports_by_route.csv", 7, "preferred", "true"),
        "exports_by_route.csv",
        "preferred",
        None,
        data.load_exports_by_route,
    ),
    "missing required cell": (_set_cell("sites.csv", 4, "source", ""), "sites.csv", "source", 5, data.load_sites),
    "negative production": (
        _set_cell("production.csv", 1, "production_mt", "-79.46"),
        "production.csv",
        "production_mt",
        2,
        lambda: data.load("production"),
    ),
    "stakes not adding up to 100%": (
        _set_cell("cpc_shareholders.csv", 1, "stake_pct", "34"),
        "cpc_shareholders.csv",
        "stake_pct",
        None,
        lambda: data.load("cpc_shareholders"),
    ),
    "stake above 100%": (
        _set_cell("cpc_shareholders.csv", 1, "stake_pct", "124"),
        "cpc_shareholders.csv",
        "stake_pct",
        2,
        lambda: data.load("cpc_shareholders"),
    ),
    "malformed period": (
        _set_cell("eu_supply.csv", 9, "period", "third quarter"),
        "eu_supply.csv",
        "period",
        10,
        lambda: data.load("eu_supply"),
    ),
    "EU share basis outside the enumeration": (
        _set_cell("eu_supply.csv", 1, "basis", "vibes"),
        "eu_supply.csv",
        "basis",
        2,
        lambda: data.load("eu_supply"),
    ),
    "buyer volume of the wrong type": (
        _set_cell("buyers.csv", 1, "value", "lots"),
        "buyers.csv",
        "value",
        2,
        lambda: data.load("buyers"),
    ),
    "economy unit outside the enumeration": (
        _set_cell("oil_economy.csv", 1, "unit", "percent-ish"),
        "oil_economy.csv",
        "unit",
        2,
        lambda: data.load("oil_economy"),
    ),
    "conversion range reversed": (
        _set_cell("conversion_ratios.csv", 4, "bbl_per_tonne_low", "8.5"),
        "conversion_ratios.csv",
        "bbl_per_tonne_high",
        5,
        lambda: data.load("conversion_ratios"),
    ),
    "implausible barrels per tonne": (
        _set_cell("conversion_ratios.csv", 1, "bbl_per_tonne_high", "75"),
        "conversion_ratios.csv",
        "bbl_per_tonne_high",
        2,
        lambda: data.load("conversion_ratios"),
    ),
    "two preferred throughput figures": (
        _set_cell("cpc_throughput.csv", 13, "preferred", "true"),
        "cpc_throughput.csv",
        "preferred",
        None,
        lambda: data.load("cpc_throughput"),
    ),
    "Brent price implausible": (
        _set_cell("brent_prices.csv", 3, "usd_per_bbl", "5413"),
        "brent_prices.csv",
        "usd_per_bbl",
        4,
        lambda: data.load("brent_prices"),
    ),
    "event at an unknown site": (
        _set_cell("cpc_events.csv", 5, "site_id", "atlantis"),
        "cpc_events.csv",
        "site_id",
        6,
        lambda: data.load("cpc_events"),
    ),
    "event type outside the enumeration": (
        _set_cell("cpc_events.csv", 1, "event_type", "sabotage?"),
        "cpc_events.csv",
        "event_type",
        2,
        lambda: data.load("cpc_events"),
    ),
    "reported loss range reversed": (
        _set_cell("reported_losses.csv", 2, "value_low", "500"),
        "reported_losses.csv",
        "value_high",
        3,
        lambda: data.load("reported_losses"),
    ),
    "reported loss for an unknown event": (
        _set_cell("reported_losses.csv", 1, "event_id", "storm_1999"),
        "reported_losses.csv",
        "event_id",
        2,
        lambda: data.load("reported_losses"),
    ),
    "mooring outside the enumeration": (
        _set_cell("cpc_moorings.csv", 1, "spm", "SPM-9"),
        "cpc_moorings.csv",
        "spm",
        2,
        lambda: data.load("cpc_moorings"),
    ),
    "political event with a bad date": (
        _set_cell("political_context.csv", 2, "date", "4 July 2022"),
        "political_context.csv",
        "date",
        3,
        lambda: data.load("political_context"),
    ),
    "BTC measure outside the enumeration": (
        _set_cell("btc_throughput.csv", 1, "measure", "vibes_mt"),
        "btc_throughput.csv",
        "measure",
        2,
        lambda: data.load("btc_throughput"),
    ),
    "BTC stakes not adding up": (
        _set_cell("btc_shareholders.csv", 2, "stake_pct", "25"),
        "btc_shareholders.csv",
        "stake_pct",
        None,
        lambda: data.load("btc_shareholders"),
    ),
    "plan applying before it was announced": (
        _set_cell("trans_caspian_plans.csv", 4, "from_year", "2020"),
        "trans_caspian_plans.csv",
        "from_year",
        5,
        lambda: data.load("trans_caspian_plans"),
    ),
    "chain capacity flag of the wrong type": (
        _set_cell("chain_legs.csv", 4, "capacity_estimate", "perhaps"),
        "chain_legs.csv",
        "capacity_estimate",
        5,
        lambda: data.load("chain_legs"),
    ),
    "chain leg kind outside the enumeration": (
        _set_cell("chain_legs.csv", 1, "kind", "teleport"),
        "chain_legs.csv",
        "kind",
        2,
        lambda: data.load("chain_legs"),
    ),
    "tariff range reversed": (
        _set_cell("tariffs.csv", 1, "value_low", "9"),
        "tariffs.csv",
        "value_high",
        2,
        lambda: data.load("tariffs"),
    ),
    "bibliography entry without URL": (
        lambda d: (d.parent / "references.bib").write_text(
            (d.parent / "references.bib")
            .read_text()
            .replace("url = {https://lkyspp", "howpublished = {https://lkyspp", 1)
        ),
        "references.bib",
        "url",
        None,
        data.load_routes,
    ),
    # -- encoding: UTF-8 is required, and what was found instead is named
    "UTF-16 data file": (_reencode("sites.csv", "utf-16"), "sites.csv", None, None, data.load_sites, "UTF-16"),
    "latin-1 character in a note": (
        _reencode("sites.csv", "latin-1", lambda t: t.replace(",,wp_kashagan", ",Caspian café,wp_kashagan")),
        "sites.csv",
        "note",
        3,
        data.load_sites,
        "latin-1",
    ),
    "Windows-1252 dash in a name": (
        _reencode("routes.csv", "cp1252"),
        "routes.csv",
        "name",
        2,
        data.load_routes,
        "UTF-8 is required",
    ),
    "UTF-16 descriptor": (
        _reencode("datapackage.json", "utf-16"),
        "datapackage.json",
        None,
        None,
        data.load_sites,
        "UTF-16",
    ),
    "latin-1 bibliography": (
        _reencode("references.bib", "latin-1", lambda t: t.replace("Diversifying", "Diversifying caf\u00e9", 1)),
        "references.bib",
        None,
        2,
        data.load_routes,
        "latin-1",
    ),
    # -- number syntax: only finite numbers in plain decimal notation
    "infinite EU supply value": (
        _set_cell("eu_supply.csv", 1, "value", "inf"),
        "eu_supply.csv",
        "value",
        2,
        lambda: data.load("eu_supply"),
        "finite",
    ),
    "overflowing number 1e400": (
        _set_cell("eu_supply.csv", 2, "value", "1e400"),
        "eu_supply.csv",
        "value",
        3,
        lambda: data.load("eu_supply"),
        "finite",
    ),
    "nan spelled out": (
        _set_cell("production.csv", 2, "production_mt", "nan"),
        "production.csv",
        "production_mt",
        3,
        lambda: data.load("production"),
        None,
    ),
    "minus Infinity": (
        _set_cell("brent_prices.csv", 1, "usd_per_bbl", "-Infinity"),
        "brent_prices.csv",
        "usd_per_bbl",
        2,
        lambda: data.load("brent_prices"),
        None,
    ),
    "thousands separator": (
        _set_cell("exports_total.csv", 1, "exports_mt", "1,067.6"),
        "exports_total.csv",
        "exports_mt",
        2,
        data.load_exports_total,
        "declared type",
    ),
    "decimal comma": (
        _set_cell("exports_total.csv", 2, "exports_mt", "64,3"),
        "exports_total.csv",
        "exports_mt",
        3,
        data.load_exports_total,
        "declared type",
    ),
    "NaN in a GeoJSON property": (
        _geojson(lambda t: t.replace('"capacity": 81.5', '"capacity": NaN', 1)),
        "route_legs.geojson",
        "capacity",
        1,
        data.load_legs,
        "finite",
    ),
    "overflow in a GeoJSON property": (
        _geojson(lambda t: t.replace('"length_km": 1511', '"length_km": 1e400', 1)),
        "route_legs.geojson",
        "length_km",
        1,
        data.load_legs,
        "finite",
    ),
    # -- normalised before counting or comparing
    "second preferred figure written 1": (
        _set_cell("exports_total.csv", 3, "preferred", "1"),
        "exports_total.csv",
        "preferred",
        4,
        data.load_exports_total,
        "more than one preferred",
    ),
    "end before start, date not zero-padded": (
        _set_cell("cpc_events.csv", 2, "end_date", "2022-3-1"),
        "cpc_events.csv",
        "end_date",
        3,
        lambda: data.load("cpc_events"),
        "is before start_date",
    ),
    # -- nothing empty passes
    "header-only totals": (
        _header_only("exports_total.csv"),
        "exports_total.csv",
        None,
        None,
        data.load_exports_total,
        "has no rows",
    ),
    "header-only sites": (_header_only("sites.csv"), "sites.csv", None, None, data.load_sites, "has no rows"),
    "blank site name": (_set_cell("sites.csv", 2, "name", "   "), "sites.csv", "name", 3, data.load_sites, "blank"),
    "blank description": (
        _set_cell("routes.csv", 1, "description", " \t "),
        "routes.csv",
        "description",
        2,
        data.load_routes,
        "blank",
    ),
    # -- geometry plausibility
    "site with lat and lon swapped": (
        _both(_set_cell("sites.csv", 12, "lat", "14.24"), _set_cell("sites.csv", 12, "lon", "53.1")),
        "sites.csv",
        "lat",
        13,
        data.load_sites,
        "outside Germany",
    ),
    "site placed in the wrong country": (
        _set_cell("sites.csv", 21, "country", "Kazakhstan"),
        "sites.csv",
        "lon",
        22,
        data.load_sites,
        "outside Kazakhstan",
    ),
    "site in a country without a box": (
        _set_cell("sites.csv", 1, "country", "Atlantis"),
        "sites.csv",
        "country",
        2,
        data.load_sites,
        "no bounding box",
    ),
    "GeoJSON leg with lon and lat swapped": (
        _swap_first_point(1),
        "route_legs.geojson",
        "geometry",
        2,
        data.load_legs,
        "km from its site 'atyrau'",
    ),
    "GeoJSON leg end 40 km off its terminal": (
        _move_last_point(0, 0.5),
        "route_legs.geojson",
        "geometry",
        1,
        data.load_legs,
        "km from its site 'cpc_terminal'",
    ),
    "GeoJSON leg with a point missing": (
        _geo_edit(lambda doc: doc["features"][0]["geometry"]["coordinates"].pop(2)),
        "route_legs.geojson",
        "geometry",
        1,
        data.load_legs,
        "names 5 sites",
    ),
    "GeoJSON waypoint at an unknown site": (
        _geo_edit(lambda doc: doc["features"][1]["properties"].__setitem__("waypoints", "atyrau>atlantis")),
        "route_legs.geojson",
        "waypoints",
        2,
        data.load_legs,
        "'atlantis' is not a site_id",
    ),
    "undescribed GeoJSON property": (
        _geo_edit(lambda doc: doc["features"][0]["properties"].__setitem__("colour", "red")),
        "route_legs.geojson",
        "colour",
        1,
        data.load_legs,
        "not described",
    ),
    "missing GeoJSON property": (
        _geo_edit(lambda doc: doc["features"][2]["properties"].pop("operator")),
        "route_legs.geojson",
        "operator",
        3,
        data.load_legs,
        "missing",
    ),
    "GeoJSON property outside the enumeration": (
        _geo_edit(lambda doc: doc["features"][3]["properties"].__setitem__("mode", "teleport")),
        "route_legs.geojson",
        "mode",
        4,
        data.load_legs,
        None,
    ),
    "GeoJSON NaN coordinate": (
        _geojson(lambda t: t.replace("53.38333", "NaN", 1)),
        "route_legs.geojson",
        "geometry",
        1,
        data.load_legs,
        None,
    ),
    # -- true line numbers
    "bad latitude after a multi-line note": (
        _multiline_note_then_bad_lat,
        "sites.csv",
        "lat",
        5,
        data.load_sites,
        None,
    ),
    # -- descriptor shape
    "descriptor is a JSON list": (
        _descriptor(lambda doc: doc["resources"], replace=True),
        "datapackage.json",
        None,
        None,
        data.load_sites,
        "must be a JSON object",
    ),
    "descriptor without resources": (
        _descriptor(lambda doc: doc.pop("resources")),
        "datapackage.json",
        "resources",
        None,
        data.load_sites,
        None,
    ),
    "resource without a schema": (
        _descriptor(lambda doc: _resource(doc, "routes").pop("schema")),
        "datapackage.json",
        "resources[1] (routes).schema",
        None,
        data.load_sites,
        None,
    ),
    "unknown field type": (
        _descriptor(lambda doc: _resource(doc, "sites")["schema"]["fields"][4].__setitem__("type", "coordinate")),
        "datapackage.json",
        "resources[0] (sites).schema.fields[4].type",
        None,
        data.load_sites,
        "unknown type 'coordinate'",
    ),
    "field without a name": (
        _descriptor(lambda doc: _resource(doc, "routes")["schema"]["fields"][0].pop("name")),
        "datapackage.json",
        "resources[1] (routes).schema.fields[0]",
        None,
        data.load_sites,
        None,
    ),
    "resource name of the wrong type": (
        _descriptor(lambda doc: _resource(doc, "routes").__setitem__("name", 7)),
        "datapackage.json",
        "resources[1] (7).name",
        None,
        data.load_sites,
        None,
    ),
    "order rule naming an unknown field": (
        _descriptor(lambda doc: _resource(doc, "cpc_events").__setitem__("x-order", [["start_date", "finish"]])),
        "datapackage.json",
        "resources[5] (cpc_events).x-order",
        None,
        data.load_sites,
        None,
    ),
    "foreign key to an unknown resource": (
        _descriptor(
            lambda doc: _resource(doc, "route_legs")["schema"]["foreignKeys"][0]["reference"].__setitem__(
                "resource", "roads"
            )
        ),
        "datapackage.json",
        "resources[2] (route_legs).schema.foreignKeys[0]",
        None,
        data.load_sites,
        "unknown resource 'roads'",
    ),
    "two resources with one name": (
        _descriptor(lambda doc: _resource(doc, "routes").__setitem__("name", "sites")),
        "datapackage.json",
        "resources (sites)",
        None,
        validate_package,
        "used twice",
    ),
    "unknown resource name": (
        lambda d: None,
        "datapackage.json",
        "name",
        None,
        lambda: data.load("nosuch"),
        "no resource named 'nosuch'",
    ),
    # -- bibliography
    "bibliography url that is not a url": (
        _bib(
            "url = {https://lkyspp.nus.edu.sg/gia/article/diversifying-kazakhstan-s-oil-exports-from-russia}",
            "url = {not a url at all}",
        ),
        "references.bib",
        "url",
        _bib_line("nus2025"),
        data.load_routes,
        "http(s)",
    ),
    "bibliography url with javascript:": (
        _bib(
            "url = {https://lkyspp.nus.edu.sg/gia/article/diversifying-kazakhstan-s-oil-exports-from-russia}",
            "url = {javascript:alert(1)}",
        ),
        "references.bib",
        "url",
        _bib_line("nus2025"),
        data.load_routes,
        "http(s)",
    ),
    "bibliography urldate not a date": (
        _bib("urldate = {2026-11-29}", "urldate = {last week}"),
        "references.bib",
        "urldate",
        _bib_line("nus2025"),
        data.load_routes,
        "YYYY-MM-DD",
    ),
    "bibliography entry without title": (
        _bib("title = {{Diversifying Kazakhstan's Oil Exports from Russia}},", ""),
        "references.bib",
        "title",
        _bib_line("nus2025"),
        data.load_routes,
        "has no title",
    ),
    "bibliography missing": (
        lambda d: (d.parent / "references.bib").unlink(),
        "references.bib",
        None,
        None,
        data.load_routes,
        "missing",
    ),
    # -- paths: inside the data directory only, and never read or shown when not
    "absolute resource path": (
        _set_path("production", "/etc/hostname"),
        "datapackage.json",
        "path",
        None,
        lambda: data.load("production"),
        "absolute",
    ),
    "resource path climbing out": (
        lambda d: (_outside_file(d), _set_path("production", "../outside/production.csv")(d)),
        "datapackage.json",
        "path",
        None,
        lambda: data.load("production"),
        "'..'",
    ),
    "resource path through a symlink out": (
        _symlink_out,
        "datapackage.json",
        "path",
        None,
        lambda: data.load("production"),
        "symbolic link",
    ),
    "bad file in a subdirectory": (
        _into_subdir,
        "data/sub/production.csv",
        "production_mt",
        2,
        lambda: data.load("production"),
        "-5",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_corruption_is_reported_with_file_row_and_field(case, data_copy):
    corrupt, file, field, row, loader, *says = CASES[case]
    if callable(row):
        row = row(data_copy)  # counted in the clean copy
    corrupt(data_copy)
    with pytest.raises(DataError) as info:
        loader()
    message = str(info.value)
    assert file in message, message
    if field:
        assert f"field '{field}'" in message, message
    if row is not None:
        assert f"row {row}" in message, message
    if says and says[0]:
        assert says[0] in message, message
    assert "Traceback" not in message
    assert "SECRET-CONTENTS" not in message


def test_clean_copy_passes(data_copy):
    assert validate_package()["sites"] > 0


def test_error_lists_every_problem_not_just_the_first(data_copy):
    _set_cell("sites.csv", 1, "lat", "146.15")(data_copy)
    _set_cell("sites.csv", 2, "lon", "-200")(data_copy)
    with pytest.raises(DataError) as info:
        data.load_sites()
    assert info.value.fields >= {"lat", "lon"}
    assert info.value.rows >= {2, 3}


def test_a_chapter_run_on_bad_data_stops_with_the_file_row_and_field(data_copy):
    """What a reader building the book sees: the chapter stops, and says where the data are wrong."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from conftest import ROOT

    _set_cell("sites.csv", 1, "lat", "146.15")(data_copy)
    nb = nbformat.read(ROOT / "chapters" / "00_introduction.ipynb", as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "chapters")}}
    )
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    assert "data/sites.csv: row 2, field 'lat'" in str(info.value)


def test_the_build_checks_the_data_once_beside_the_kernels_and_stops_on_bad_data(data_copy, tmp_path, monkeypatch):
    """The build checks the whole package in a process of its own, into the kernels' store, so that no kernel
    checks a table again; on bad data it reports file, row and field (no traceback) and stops before Sphinx
    would run every chapter again."""
    import subprocess
    import sys

    from oilroutes import build

    store = tmp_path / "store"
    env = dict(os.environ, OILROUTES_DATA_DIR=str(data_copy), OILROUTES_VALIDATED=str(store))
    passed, said = build.finish_data_check(build.start_data_check(env))
    assert passed and "tables" in said and "references checked" in said
    # a chapter's kernel then checks nothing again, and so never imports Frictionless (0.15 s)
    kernel = (
        "import sys; from oilroutes import bib, data, validate; "
        "[data.load(r['name']) for r in validate.load_descriptor()['resources'] if r['name'] != 'route_legs']; "
        "data.load_legs(); bib.references(); print('frictionless' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", kernel], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stdout + done.stderr[-2000:]

    _set_cell("sites.csv", 1, "lat", "146.15")(data_copy)
    passed, said = build.finish_data_check(build.start_data_check(env))
    assert not passed and "data/sites.csv: row 2, field 'lat'" in said and "Traceback" not in said

    monkeypatch.setattr("oilroutes.vendor.ensure_vendor", lambda root: None)
    monkeypatch.setattr(build, "drop_stale_cache", lambda root: False)
    monkeypatch.setattr(build, "execute_into_cache", lambda root, parallel: 8)  # the chapters fail on it too
    monkeypatch.setattr(build.subprocess, "run", lambda *a, **k: pytest.fail("Sphinx ran on data that failed"))
    done = build.build(root=tmp_path, capture=True, env=env)
    assert done.returncode == 1
    assert "the book was not built" in done.stdout and "data/sites.csv: row 2, field 'lat'" in done.stdout


def test_good_input_written_differently_still_passes(data_copy):
    """No false alarms: an un-padded date, a UTF-8 byte-order mark and a subdirectory are all fine."""
    _set_cell("cpc_events.csv", 2, "start_date", "2022-3-23")(data_copy)
    sites = data_copy / "sites.csv"
    sites.write_bytes(b"\xef\xbb\xbf" + sites.read_bytes())
    (data_copy / "sub").mkdir()
    (data_copy / "production.csv").rename(data_copy / "sub" / "production.csv")
    _set_path("production", "sub/production.csv")(data_copy)
    events = data.load("cpc_events").set_index("event_id")
    assert str(events.loc["storm_2022", "start_date"].date()) == "2022-03-23"
    assert len(data.load_sites()) > 20
    assert data.load("production")["production_mt"].min() > 0


def test_a_second_preferred_figure_spelled_1_is_not_loaded_twice(data_copy):
    """The probe's case: '1' counted as preferred by the loader but not by the check."""
    _set_cell("exports_total.csv", 3, "preferred", "1")(data_copy)
    with pytest.raises(DataError, match="more than one preferred row for year=2022"):
        data.load_exports_total(preferred_only=True)


def test_a_file_restored_with_an_old_mtime_is_read_again(data_copy):
    """The in-process cache is keyed on content: same mtime, different bytes, new rows."""
    import os

    path = data_copy / "production.csv"
    stat = path.stat()
    before = data.load("production")["production_mt"].iloc[0]
    _set_cell("production.csv", 1, "production_mt", "12.5")(data_copy)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert before != 12.5
    assert data.load("production")["production_mt"].iloc[0] == 12.5


def test_the_content_digest_trusts_file_stats_only_outside_the_racy_window(data_copy, monkeypatch):
    """The data's digest is not hashed again while no file's stats move; any rewrite is seen, even one
    that restores the old size and modification time (its change time moves); and within the racy
    window (here: any file newer than the last hashing) it is hashed again whatever the stats say."""
    import os
    from pathlib import Path

    from oilroutes import validate

    monkeypatch.setattr(validate, "RACY_S", 0.0)
    first = validate.fingerprint(data_copy)
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    assert validate.fingerprint(data_copy) == first
    assert reads == [], "files were hashed again though none changed"
    path = data_copy / "production.csv"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    swapped = text.replace("1", "2", 1)
    assert swapped != text and len(swapped) == len(text)
    path.write_text(swapped, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = validate.fingerprint(data_copy)
    assert second != first
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(validate, "RACY_S", 3600.0)  # every file is "new": no stats are trusted
    reads.clear()
    assert validate.fingerprint(data_copy) == first
    assert validate.fingerprint(data_copy) == first
    assert len([r for r in reads if r.name == "production.csv"]) == 2


def test_the_bibliography_is_read_again_only_when_its_file_changes(data_copy, monkeypatch):
    """The bibliography every source label reads is hashed once while its stats stay put and the file is
    older than the racy window; a rewrite of the same size and modification time is still seen."""
    import os
    from pathlib import Path

    from oilroutes import bib, validate

    monkeypatch.setattr(validate, "RACY_S", 0.0)
    path = data_copy.parent / "references.bib"
    first = bib.references()
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    assert bib.references() == first and validate.file_digest(path) == validate.file_digest(path)
    assert reads == [], "the bibliography was read again though it did not change"
    stat, text = path.stat(), path.read_text(encoding="utf-8")
    key = next(iter(first))
    title = first[key]["title"]
    renamed = text.replace(title, title[::-1], 1)
    assert renamed != text and len(renamed) == len(text)
    path.write_text(renamed, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert bib.references()[key]["title"] == title[::-1]
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(validate, "RACY_S", 3600.0)  # the file is "new": its stats are not trusted
    reads.clear()
    assert bib.references() == first and bib.references() == first
    assert len([r for r in reads if r == path]) == 2


def test_validated_tables_are_shared_between_processes_only_for_the_same_content(data_copy, tmp_path, monkeypatch):
    """With a store (as the build gives its kernels), a table validated by one process is read by the next
    without validating again; an edited file is validated again (its bad cell still stops the load, though
    the store holds the good table), and a garbled store file is ignored."""
    from oilroutes import validate

    store = tmp_path / "store"
    monkeypatch.setenv("OILROUTES_VALIDATED", str(store))
    validate._cached.cache_clear()
    first = data.load("production")
    kept = sorted(store.rglob("*.json"))
    assert kept, "nothing was kept for the next process"
    validate._cached.cache_clear()  # as in a new process
    with monkeypatch.context() as m:
        m.setattr(validate, "_read_table", lambda *a: pytest.fail("validated again though the store had it"))
        again = data.load("production")
    assert again.equals(first) and list(again.dtypes) == list(first.dtypes)
    for path in kept:
        path.write_text("{", encoding="utf-8")
    validate._cached.cache_clear()
    assert data.load("production").equals(first)
    _set_cell("production.csv", 1, "production_mt", "lots")(data_copy)
    validate._cached.cache_clear()
    with pytest.raises(DataError, match="production.csv: row 2, field 'production_mt'"):
        data.load("production")


def test_path_errors_never_show_the_file_they_point_at(data_copy):
    secret = _outside_file(data_copy, "SECRET-CONTENTS-42,1\n")
    for path in (str(secret), "../outside/production.csv"):
        _set_path("production", path)(data_copy)
        with pytest.raises(DataError) as info:
            data.load("production")
        assert "SECRET-CONTENTS" not in str(info.value)
        assert "field 'path'" in str(info.value)


def test_the_checked_bibliography_is_shared_between_processes_only_for_the_same_bytes(data_copy, tmp_path, monkeypatch):
    """Every chapter's kernel labels its sources from the bibliography: with a store, one process parses and
    checks it and the others read the result; an edited bibliography is parsed and checked again."""
    from oilroutes import bib

    monkeypatch.setenv("OILROUTES_VALIDATED", str(tmp_path / "store"))
    path = data_copy.parent / "references.bib"
    bib._load.cache_clear()
    first = bib.references(path)
    bib._load.cache_clear()  # as in a new process
    with monkeypatch.context() as m:
        m.setattr(bib, "parse_string", lambda *a, **k: pytest.fail("parsed again though the store had it"))
        assert bib.references(path) == first
    parses = []
    real = bib.parse_string
    monkeypatch.setattr(bib, "parse_string", lambda *a, **k: parses.append(1) or real(*a, **k))
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    bib._load.cache_clear()
    assert bib.references(path) == first and parses == [1]
    path.write_text(path.read_text(encoding="utf-8").replace("https://", "ftp://", 1), encoding="utf-8")
    bib._load.cache_clear()
    with pytest.raises(DataError, match="url must be an http"):
        bib.references(path)


def test_a_kept_table_is_keyed_on_all_the_code_that_validated_it():
    """The store's key digests the validator's modules: every module of the package that validate.py
    imports, directly or through another, at the top or inside a function."""
    import ast
    from pathlib import Path

    from oilroutes import validate

    package = Path(validate.__file__).parent
    seen, todo = set(), ["validate.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((package / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                todo += [f"{n.split('.')[0]}.py" for n in names if (package / f"{n.split('.')[0]}.py").is_file()]
    assert seen <= set(validate._STORE_CODE), sorted(seen - set(validate._STORE_CODE))
