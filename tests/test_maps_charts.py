"""Maps and charts carry every feature of the data, with sources, in the book's one style."""

import re

import pandas as pd
import pytest
from conftest import timeline_spec

from oilroutes import analysis, charts, data, maps, render, style


@pytest.fixture(scope="module")
def legs():
    return data.load_legs()


@pytest.fixture(scope="module")
def sites():
    return data.load_sites()


def _html(m):
    return m.get_root().render()


def test_route_map_draws_one_line_per_leg_and_one_circle_per_site(legs, sites):
    html = _html(maps.route_map(legs, sites))
    assert len(re.findall(r"L\.polyline\(", html)) == len(legs)
    assert len(re.findall(r"L\.circleMarker\(", html)) == len(sites)


def test_tooltips_name_capacity_and_source(legs, sites):
    html = _html(maps.route_map(legs, sites))
    assert "Baku–Tbilisi–Ceyhan pipeline" in html
    assert "1,200.0 kb/d" in html  # BTC capacity as reported
    assert "bp Azerbaijan" in html  # its source's publisher
    assert "KazMunayGas" in html


def test_sea_legs_are_dashed_and_pipelines_solid(legs, sites):
    html = _html(maps.route_map(legs, sites))
    assert html.count('"dashArray": "8 7"') == (legs["mode"] == "tanker").sum()
    assert html.count('"dashArray": "2 7"') == (legs["mode"] == "rail").sum()


def test_assets_come_from_the_book_when_building(monkeypatch, legs, sites):
    monkeypatch.setenv("OILROUTES_ASSETS", "local")
    html = _html(maps.route_map(legs, sites))
    assert "../_static/vendor/leaflet/leaflet.js" in html
    assert "cdn.jsdelivr" not in html
    assert "basemap.json" in html
    out = render._renderer(charts.exports_by_route_chart(analysis.route_split()).to_dict())
    assert "../_static/vendor/vega/vega.min.js" in out["text/html"]


def test_assets_come_from_a_cdn_in_jupyter(monkeypatch, legs, sites):
    monkeypatch.delenv("OILROUTES_ASSETS", raising=False)
    html = _html(maps.route_map(legs, sites))
    assert style.CDN["leaflet_js"] in html
    assert "basemap.json" not in html


def test_exports_chart_has_a_bar_per_year_and_route_with_sources():
    split = analysis.route_split()
    spec = charts.exports_by_route_chart(split).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert len(values) == len(split)
    tooltip_fields = {t["field"] for t in spec["encoding"]["tooltip"]}
    assert {"volume_mt", "share_pct", "source_label", "crosses_russia"} <= tooltip_fields
    assert all(v["source_label"] for v in values)
    assert spec["mark"]["type"] == "bar"
    assert spec["description"].startswith("Stacked bar chart")


def test_route_colours_come_from_the_style(legs):
    split = analysis.route_split()
    spec = charts.exports_by_route_chart(split).to_dict()
    assert style.ROUTE_COLORS["cpc"] in spec["encoding"]["color"]["scale"]["range"]


def test_buyers_map_has_one_circle_per_buyer_country_with_its_sources(sites, legs):
    buyers = data.load("buyers")
    html = _html(maps.buyers_map(buyers, sites, legs))
    for name in buyers["ne_name"].unique():
        assert f"buyer-{name.lower().replace(' ', '-')}" in html, name
    assert "Vlast.kz" in html  # the disagreement about Italy is on the map
    assert "named, no volume" in html


def test_buyers_map_refuses_an_unknown_country(sites):
    buyers = data.load("buyers").copy()
    buyers.loc[0, "ne_name"] = "Atlantis"
    with pytest.raises(KeyError, match="Atlantis"):
        maps.buyers_map(buyers, sites)


@pytest.mark.parametrize(
    "builder", ["production_exports_chart", "russia_share_chart", "ownership_chart", "eu_share_chart"]
)
def test_chapter_one_charts_carry_data_tooltips_and_a_description(builder):
    args = {
        "production_exports_chart": lambda: analysis.production_and_exports(),
        "russia_share_chart": lambda: analysis.russia_share(),
        "ownership_chart": lambda: data.load("cpc_shareholders"),
        "eu_share_chart": lambda: data.load("eu_supply"),
    }[builder]()
    spec = getattr(charts, builder)(args).to_dict()
    assert spec.get("description")
    values = next(iter(spec["datasets"].values()))
    assert len(values) > 0
    text = str(spec)
    assert "tooltip" in text


def test_cpc_map_places_every_event_and_binds_popups_without_jquery(legs, sites):
    events = data.load("cpc_events")
    html = _html(maps.cpc_map(legs, sites, events, data.load("cpc_moorings")))
    for event_id in events["event_id"]:
        assert f"event-{event_id}" in html, event_id
    assert html.count(".bindPopup(") == len(events)
    assert "$(" not in html  # folium's jQuery popups would break offline pages
    assert "SPM-3" in html and "3.5 Mt a month" in html


def test_disruption_timeline_has_one_bar_per_event_and_the_political_context():
    from oilroutes import losses

    events = data.load("cpc_events")
    spec = charts.disruption_timeline_chart(
        losses.event_losses(), events, data.load("cpc_throughput"), data.load("political_context")
    ).to_dict()
    datasets = list(spec["datasets"].values())
    assert any(len(d) == len(events) and "title" in d[0] for d in datasets)
    assert any(len(d) == len(data.load("political_context")) and "what_happened" in d[0] for d in datasets)
    assert spec["description"].startswith("Timeline")


def test_losses_chart_marks_itself_as_an_estimate():
    from oilroutes import losses

    spec = charts.losses_chart(losses.losses_by_year(losses.event_losses())).to_dict()
    assert "ESTIMATE" in str(spec["title"])


def test_trans_caspian_map_draws_the_chain_and_cpc_with_dashed_sea_legs(legs, sites):
    html = _html(maps.trans_caspian_map(legs, sites))
    for leg in ("btc", "aktau_sangachal", "kuryk_sangachal", "baku_supsa", "rail_batumi", "cpc_pipeline"):
        assert f"leg-{leg}" in html, leg
    assert "leg-kcp" not in html and "leg-druzhba_germany" not in html
    assert html.count('"dashArray": "8 7"') == 3  # three tanker crossings


@pytest.mark.parametrize("builder", ["trans_caspian_chart", "chain_capacity_chart", "btc_throughput_chart"])
def test_chapter_three_charts_carry_data_tooltips_and_a_description(builder):
    from oilroutes import chain

    make = {
        "trans_caspian_chart": lambda: charts.trans_caspian_chart(
            analysis.trans_caspian_volumes(), data.load("trans_caspian_plans")
        ),
        "chain_capacity_chart": lambda: charts.chain_capacity_chart(chain.chain_table()),
        "btc_throughput_chart": lambda: charts.btc_throughput_chart(data.load("btc_throughput"), 57.7),
    }[builder]
    spec = make().to_dict()
    assert spec.get("description")
    assert all(len(d) > 0 for d in spec["datasets"].values())
    assert "source_label" in str(spec) or builder == "btc_throughput_chart"


def test_scenario_slider_steps_follow_the_grid_and_the_axis_stays_fixed():
    import pandas as pd

    rows = [
        {
            "scenario": "Capacity today",
            "depth_pct": d,
            "months": m,
            "route_id": r,
            "volume_mt": d * m / 100 * (2 if r == "shortfall" else 1),
            "kind": "route",
            "lost_mt": d * m / 50,
            "shortfall_mt": d * m / 100,
            "revenue_at_risk_musd": d * m,
        }
        for d in range(0, 101, 5)
        for m in (1, 2, 3)
        for r in ("aktau_btc", "shortfall")
    ]
    spec = charts.scenario_chart(pd.DataFrame(rows)).to_dict()
    params = (
        {p["name"]: p for p in spec["vconcat"][0]["params"]}
        if "params" in spec["vconcat"][0]
        else {p["name"]: p for p in spec["params"]}
    )
    assert params["depth"]["bind"]["step"] == 5 and params["depth"]["value"] == 40
    assert params["months"]["bind"]["step"] == 1
    x = spec["vconcat"][0]["layer"][0]["encoding"]["x"]
    assert (
        x["scale"]["domain"][0] == 0 and x["scale"]["domain"][1] >= 6.0
    )  # the largest volume in the grid, for every position


def test_timeline_labels_every_political_event_on_the_chart():
    from oilroutes import losses

    context = data.load("political_context")
    spec = charts.disruption_timeline_chart(
        losses.event_losses(), data.load("cpc_events"), data.load("cpc_throughput"), context
    ).to_dict()
    sort = spec["vconcat"][0]["layer"][1]["encoding"]["y"]["sort"]
    assert sum("political" in s for s in sort) == len(context)
    assert all(
        " ".join(s.split("\n")).endswith(t) for s, t in zip([s for s in sort if "political" in s], context["title"])
    )
    assert all(len(line) <= charts.LABEL_CHARS for s in sort for line in s.split("\n"))
    assert not [s for s in sort if "…" in s], "a row label is cut short: its title is too long for two lines"


def _legal_band(spec):
    """The band panel of the timeline and the rows its squares draw."""
    [band] = [p for p in spec["vconcat"] if "Sanctions" in str(p.get("title"))]
    return band, spec["datasets"][band["data"]["name"]]


def test_timeline_band_draws_one_square_per_measure_of_legal_context():
    legal = data.load("legal_context")
    spec = timeline_spec(legal)
    assert [str(p["title"]["text"]) for p in spec["vconcat"]][1].startswith("Sanctions")  # between events and flows
    band, rows = _legal_band(spec)
    assert band["mark"]["shape"] == "square" and band["mark"]["color"] == style.LEGAL_COLOR
    assert band["encoding"]["x"]["field"] == "date" and band["encoding"]["x"]["type"] == "temporal"
    assert [r["event_id"] for r in rows] == list(legal.sort_values("date")["event_id"])
    assert [r["date"] for r in rows] == list(legal.sort_values("date")["date"].dt.strftime("%Y-%m-%d"))
    # each square is labelled on the axis with its month and title, and tells its source on hover
    sort = band["encoding"]["y"]["sort"]
    assert len(sort) == len(legal) and all(s.startswith(f"{d:%b %Y}: ") for s, d in zip(sort, legal["date"]))
    assert all(len(line) <= 27 for s in sort for line in s.split("\n"))
    tips = {t["field"] for t in band["encoding"]["tooltip"]}
    assert {"instrument", "date_text", "what_happened", "source_label"} <= tips
    assert all(r["source_label"] and r["instrument"] for r in rows)
    assert "sanctions and carve-outs" in spec["description"]


def test_timeline_band_follows_the_data_and_draws_only_what_fits_the_axis():
    legal = data.load("legal_context")
    moved = legal.copy()
    moved.loc[moved["event_id"] == "us_gl_124_2025", "date"] = pd.Timestamp("2024-02-01")
    early = legal.iloc[[0]].assign(event_id="before_the_axis", date=pd.Timestamp("2019-05-01"))
    _, rows = _legal_band(timeline_spec(pd.concat([moved.iloc[1:], early])))
    ids = [r["event_id"] for r in rows]
    # one row fewer (the first was dropped), the moved date is drawn where the data put it,
    # and a measure before the timeline's first year is left out, so the figure's CSV holds only drawn marks
    assert len(rows) == len(legal) - 1 and "before_the_axis" not in ids and legal["event_id"].iloc[0] not in ids
    assert {r["event_id"]: r["date"] for r in rows}["us_gl_124_2025"] == "2024-02-01"
    # without the data, no band
    assert not any("Sanctions" in str(p.get("title")) for p in timeline_spec(None)["vconcat"])


def test_the_figure_csv_rows_of_the_band_are_the_measures_with_their_sources():
    from oilroutes import bib, reuse

    legal = data.load("legal_context")
    rows = reuse.with_sources(reuse.chart_rows(timeline_spec(legal)))
    band = [r for r in rows if "instrument" in r]
    assert sorted(r["event_id"] for r in band) == sorted(legal["event_id"])
    refs = bib.references()
    for r in band:
        for key in bib.split_keys(r["source"]):
            assert f"[{key}]" in r["source_reference"] and refs[key]["url"] in r["source_reference"], (
                r["event_id"],
                key,
            )


def test_eu_share_keeps_crude_and_oil_shares_apart_and_matches_its_caption():
    spec = charts.eu_share_chart(data.load("eu_supply")).to_dict()
    enc = spec["encoding"]
    assert enc["shape"]["scale"] == {"domain": ["Year", "Quarter"], "range": ["circle", "square"]}
    assert len(enc["color"]["scale"]["domain"]) == 2
    assert enc["x"]["axis"]["tickCount"] == {"interval": "year", "step": 1}


def test_scenario_chart_writes_each_case_once_and_folds_back_to_every_route():
    """The page carries one row per position of the controls; folding its route columns gives the grid back."""
    from oilroutes import model

    grid = model.scenario_grid()
    spec = charts.scenario_chart(grid).to_dict()
    (rows,) = spec["datasets"].values()
    cases = grid[["scenario", "depth_pct", "months"]].drop_duplicates()
    assert len(rows) == len(cases)
    folds = {
        tuple(t["fold"]) for layer in spec["vconcat"][0]["layer"] for t in layer.get("transform", []) if "fold" in t
    }
    (fold,) = folds  # the bars and their values fold the same columns
    assert list(fold) == [charts.SCENARIO_ROUTE_LABELS[r] for r in dict.fromkeys(grid["route_id"])]
    drawn = {(r["scenario"], r["depth_pct"], r["months"], route): r[route] for r in rows for route in fold}
    for g in grid.itertuples():
        assert drawn[(g.scenario, g.depth_pct, g.months, charts.SCENARIO_ROUTE_LABELS[g.route_id])] == round(
            g.volume_mt, 3
        )


def test_charts_give_altair_typed_channels_so_it_never_converts_a_dict(monkeypatch):
    """Each channel is given as its Altair class (alt.Y("v:Q"), alt.StrokeValue(...)), not as a shorthand string
    or a dict: for each of those Altair rebuilds a table of every schema class, about 4 ms a channel."""
    import altair as alt

    from oilroutes import chain, losses, model

    converted = []
    real = alt.utils.schemapi.SchemaBase.from_dict.__func__

    def spy(cls, dct, validate=True):
        converted.append((cls.__name__, dct))
        return real(cls, dct, validate)

    split, estimate, table = analysis.route_split(), losses.event_losses(), chain.chain_table()
    throughput, events = data.load("cpc_throughput"), data.load("cpc_events")
    builders = [
        lambda: charts.production_exports_chart(analysis.production_and_exports()),
        lambda: charts.exports_by_route_chart(split),
        lambda: charts.russia_share_chart(analysis.russia_share(split)),
        lambda: charts.eu_share_chart(data.load("eu_supply")),
        lambda: charts.ownership_chart(data.load("cpc_shareholders")),
        lambda: charts.throughput_capacity_chart(throughput, data.load("cpc_capacity")),
        lambda: charts.disruption_timeline_chart(
            estimate, events, throughput, data.load("political_context"), data.load("legal_context")
        ),
        lambda: charts.model_vs_reported_chart(losses.model_vs_reported()),
        lambda: charts.losses_chart(losses.losses_by_year(estimate)),
        lambda: charts.btc_throughput_chart(
            analysis.btc_throughput(), table.set_index("leg_id").loc["btc_pipeline", "capacity_mt"]
        ),
        lambda: charts.trans_caspian_chart(analysis.trans_caspian_volumes(), data.load("trans_caspian_plans")),
        lambda: charts.chain_capacity_chart(table),
        lambda: charts.scenario_chart(model.scenario_grid()),
    ]
    monkeypatch.setattr(alt.utils.schemapi.SchemaBase, "from_dict", classmethod(spy))
    for build in builders:
        build().to_dict()
    assert converted == []
