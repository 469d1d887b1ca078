"""A broken data file stops with an error naming the file, the row and the field.

Each case corrupts one file in a private copy of data/ and checks the message.
"""

import csv
import json

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
        return [r[:i] + r[i + 1:] for r in rows]
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


CASES = {
    # id: (corruption, file in message, field in message, row in message or None, loader)
    "missing file": (lambda d: (d / "exports_by_route.csv").unlink(), "exports_by_route.csv", None, None, data.load_exports_by_route),
    "missing column": (_drop_column("exports_by_route.csv", "volume_mt"), "exports_by_route.csv", "volume_mt", None, data.load_exports_by_route),
    "wrong type": (_set_cell("exports_by_route.csv", 3, "volume_mt", "about nine"), "exports_by_route.csv", "volume_mt", 4, data.load_exports_by_route),
    "negative volume": (_set_cell("exports_by_route.csv", 2, "volume_mt", "-15.4"), "exports_by_route.csv", "volume_mt", 3, data.load_exports_by_route),
    "share above 100%": (_set_cell("exports_by_route.csv", 6, "reported_share_pct", "181"), "exports_by_route.csv", "reported_share_pct", 7, data.load_exports_by_route),
    "unknown source key": (_set_cell("exports_total.csv", 1, "source", "nosuchsource2099"), "exports_total.csv", "source", 2, data.load_exports_total),
    # the duplicated row is appended, so it sits on the line after the file's last one
    "duplicate key": (_duplicate_row("sites.csv", 3), "sites.csv", "site_id",
                      lambda d: sum(1 for _ in open(d / "sites.csv", encoding="utf-8")), data.load_sites),
    "latitude out of range": (_set_cell("sites.csv", 1, "lat", "146.15"), "sites.csv", "lat", 2, data.load_sites),
    "bad date": (_set_cell("cpc_events.csv", 2, "start_date", "2022-02-30"), "cpc_events.csv", "start_date", 3, lambda: data.load("cpc_events")),
    "end before start": (_set_cell("cpc_events.csv", 2, "end_date", "2022-03-01"), "cpc_events.csv", "end_date", 3, lambda: data.load("cpc_events")),
    "malformed GeoJSON": (_geojson(lambda t: t[: len(t) // 2]), "route_legs.geojson", None, None, data.load_legs),
    "GeoJSON coordinate out of range": (_geo_edit(lambda doc: doc["features"][1]["geometry"]["coordinates"].__setitem__(0, [251.9, 47.1])), "route_legs.geojson", "geometry", 2, data.load_legs),
    "GeoJSON property of wrong type": (_geo_edit(lambda doc: doc["features"][0]["properties"].__setitem__("capacity", "lots")), "route_legs.geojson", "capacity", 1, data.load_legs),
    "unknown route in foreign key": (_set_cell("exports_by_route.csv", 1, "route_id", "teleport"), "exports_by_route.csv", "route_id", 2, data.load_exports_by_route),
    "value outside the enumeration": (_set_cell("routes.csv", 1, "crosses_russia", "maybe"), "routes.csv", "crosses_russia", 2, data.load_routes),
    "two preferred figures": (_set_cell("exports_by_route.csv", 7, "preferred", "true"), "exports_by_route.csv", "preferred", None, data.load_exports_by_route),
    "missing required cell": (_set_cell("sites.csv", 4, "source", ""), "sites.csv", "source", 5, data.load_sites),
    "negative production": (_set_cell("production.csv", 1, "production_mt", "-79.46"), "production.csv", "production_mt", 2, lambda: data.load("production")),
    "stakes not adding up to 100%": (_set_cell("cpc_shareholders.csv", 1, "stake_pct", "34"), "cpc_shareholders.csv", "stake_pct", None, lambda: data.load("cpc_shareholders")),
    "stake above 100%": (_set_cell("cpc_shareholders.csv", 1, "stake_pct", "124"), "cpc_shareholders.csv", "stake_pct", 2, lambda: data.load("cpc_shareholders")),
    "malformed period": (_set_cell("eu_supply.csv", 9, "period", "third quarter"), "eu_supply.csv", "period", 10, lambda: data.load("eu_supply")),
    "EU share basis outside the enumeration": (_set_cell("eu_supply.csv", 1, "basis", "vibes"), "eu_supply.csv", "basis", 2, lambda: data.load("eu_supply")),
    "buyer volume of the wrong type": (_set_cell("buyers.csv", 1, "value", "lots"), "buyers.csv", "value", 2, lambda: data.load("buyers")),
    "economy unit outside the enumeration": (_set_cell("oil_economy.csv", 1, "unit", "percent-ish"), "oil_economy.csv", "unit", 2, lambda: data.load("oil_economy")),
    "conversion range reversed": (_set_cell("conversion_ratios.csv", 4, "bbl_per_tonne_low", "8.5"), "conversion_ratios.csv", "bbl_per_tonne_high", 5, lambda: data.load("conversion_ratios")),
    "implausible barrels per tonne": (_set_cell("conversion_ratios.csv", 1, "bbl_per_tonne_high", "75"), "conversion_ratios.csv", "bbl_per_tonne_high", 2, lambda: data.load("conversion_ratios")),
    "two preferred throughput figures": (_set_cell("cpc_throughput.csv", 13, "preferred", "true"), "cpc_throughput.csv", "preferred", None, lambda: data.load("cpc_throughput")),
    "Brent price implausible": (_set_cell("brent_prices.csv", 3, "usd_per_bbl", "5413"), "brent_prices.csv", "usd_per_bbl", 4, lambda: data.load("brent_prices")),
    "event at an unknown site": (_set_cell("cpc_events.csv", 5, "site_id", "atlantis"), "cpc_events.csv", "site_id", 6, lambda: data.load("cpc_events")),
    "event type outside the enumeration": (_set_cell("cpc_events.csv", 1, "event_type", "sabotage?"), "cpc_events.csv", "event_type", 2, lambda: data.load("cpc_events")),
    "reported loss range reversed": (_set_cell("reported_losses.csv", 2, "value_low", "500"), "reported_losses.csv", "value_high", 3, lambda: data.load("reported_losses")),
    "reported loss for an unknown event": (_set_cell("reported_losses.csv", 1, "event_id", "storm_1999"), "reported_losses.csv", "event_id", 2, lambda: data.load("reported_losses")),
    "mooring outside the enumeration": (_set_cell("cpc_moorings.csv", 1, "spm", "SPM-9"), "cpc_moorings.csv", "spm", 2, lambda: data.load("cpc_moorings")),
    "political event with a bad date": (_set_cell("political_context.csv", 2, "date", "4 July 2022"), "political_context.csv", "date", 3, lambda: data.load("political_context")),
    "BTC measure outside the enumeration": (_set_cell("btc_throughput.csv", 1, "measure", "vibes_mt"), "btc_throughput.csv", "measure", 2, lambda: data.load("btc_throughput")),
    "BTC stakes not adding up": (_set_cell("btc_shareholders.csv", 2, "stake_pct", "25"), "btc_shareholders.csv", "stake_pct", None, lambda: data.load("btc_shareholders")),
    "plan applying before it was announced": (_set_cell("trans_caspian_plans.csv", 4, "from_year", "2020"), "trans_caspian_plans.csv", "from_year", 5, lambda: data.load("trans_caspian_plans")),
    "chain capacity flag of the wrong type": (_set_cell("chain_legs.csv", 4, "capacity_estimate", "perhaps"), "chain_legs.csv", "capacity_estimate", 5, lambda: data.load("chain_legs")),
    "chain leg kind outside the enumeration": (_set_cell("chain_legs.csv", 1, "kind", "teleport"), "chain_legs.csv", "kind", 2, lambda: data.load("chain_legs")),
    "tariff range reversed": (_set_cell("tariffs.csv", 1, "value_low", "9"), "tariffs.csv", "value_high", 2, lambda: data.load("tariffs")),
    "bibliography entry without URL": (lambda d: (d.parent / "references.bib").write_text((d.parent / "references.bib").read_text().replace("url = {https://lkyspp", "howpublished = {https://lkyspp", 1)), "references.bib", "url", None, data.load_routes),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_corruption_is_reported_with_file_row_and_field(case, data_copy):
    corrupt, file, field, row, loader = CASES[case]
    if callable(row):
        row = row(data_copy) + 1  # counted before the corruption adds its line
    corrupt(data_copy)
    with pytest.raises(DataError) as info:
        loader()
    message = str(info.value)
    assert file in message, message
    if field:
        assert f"field '{field}'" in message, message
    if row is not None:
        assert f"row {row}" in message, message
    assert "Traceback" not in message


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
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "chapters")}})
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    assert "data/sites.csv: row 2, field 'lat'" in str(info.value)
