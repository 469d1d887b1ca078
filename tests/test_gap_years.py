"""Gap years: implied values derived from stated changes, estimates with their range, and the status shown in charts and cards."""

from __future__ import annotations

import pytest

from oilroutes import analysis, appendix, charts, data
from oilroutes.validate import load_descriptor


def test_btc_2018_is_implied_from_the_2019_figure_and_its_stated_fall():
    imp = analysis.implied_values("btc_throughput").set_index("year")
    assert imp.loc[2018, "value"] == pytest.approx(31.135 / 0.92)
    assert imp.loc[2018, "value_low"] == pytest.approx(31.135 / 0.925)
    assert imp.loc[2018, "value_high"] == pytest.approx(31.135 / 0.915)
    assert imp.loc[2018, "status"] == "implied"


def test_implied_value_follows_the_statement_not_a_typed_number(data_copy):
    path = data_copy / "growth_statements.csv"
    path.write_text(path.read_text().replace(",-8,1,", ",-10,1,"))
    assert analysis.implied_values("btc_throughput").set_index("year").loc[2018, "value"] == pytest.approx(31.135 / 0.9)


def test_btc_series_labels_the_implied_year_and_keeps_the_published_ones():
    btc = analysis.btc_throughput()
    tonnes = btc[btc["measure"] == "total_mt"].set_index("year")
    assert tonnes.loc[2018, "status"] == "implied"
    assert (tonnes.drop(index=2018)["status"] == "reported").all()
    assert 2015 not in tonnes.index  # still a gap on the statistics committee's basis


def test_export_estimate_is_production_minus_refining_minus_the_observed_residual():
    res = analysis.export_residuals().set_index("year")
    assert list(res.index) == [2022, 2023]
    assert res.loc[2022, "residual_mt"] == pytest.approx(84.2 - 64.3 - 17.9)
    est = analysis.exports_estimates().set_index("year")
    assert set(est.index) == {2015, 2024}
    lo, hi = res["residual_mt"].min(), res["residual_mt"].max()
    assert est.loc[2024, "exports_low"] == pytest.approx(87.7 - 17.44 - hi)
    assert est.loc[2024, "exports_high"] == pytest.approx(87.7 - 17.44 - lo)
    assert est.loc[2024, "exports_low"] <= est.loc[2024, "exports_mt"] <= est.loc[2024, "exports_high"]
    assert (est["status"] == "estimate").all()


def test_estimated_years_never_enter_the_published_series():
    pe = analysis.production_and_exports().set_index("year")
    assert pe.loc[2024, "exports_mt"] != pe.loc[2024, "exports_mt"]  # NaN: the chart draws only published totals
    assert pe.loc[2024, "exports_status"] == "estimate" and pe.loc[2023, "exports_status"] == "reported"


def test_route_split_carries_status_and_the_2015_bar_is_an_estimate():
    split = analysis.route_split()
    y2015 = split[split["year"] == 2015]
    assert list(y2015["status"]) == ["estimate"]
    assert set(split[split["year"] == 2025]["status"]) == {"reported"}


@pytest.mark.parametrize("name", ["exports_total", "exports_by_route", "cpc_throughput", "btc_throughput"])
def test_estimate_flag_and_status_agree(name):
    df = data.load(name)
    if "estimate" in df.columns:
        assert (df["estimate"].astype(bool) == (df["status"] == "estimate")).all()
    assert set(df["status"]) <= set(analysis.STATUSES)


def test_charts_encode_status_in_fill_and_tooltip():
    specs = [
        charts.exports_by_route_chart(analysis.route_split()).to_dict(),
        charts.btc_throughput_chart(analysis.btc_throughput(), 58.0).to_dict()["layer"][0],
        charts.throughput_capacity_chart(data.load("cpc_throughput"), data.load("cpc_capacity")).to_dict()["layer"][0],
    ]
    for spec in specs:
        enc = spec["encoding"]
        assert enc["fillOpacity"]["field"] == "status_label"
        assert any(t.get("field") == "status_label" for t in enc["tooltip"])


def test_every_gap_in_the_descriptor_is_on_its_data_card_with_its_queries():
    for res in load_descriptor()["resources"]:
        for gap in res.get("x-gaps", []):
            assert gap["outcome"] and gap["years"]
            assert gap["queries"], f"{res['name']} {gap['years']}: list the searches tried"
            text = appendix.card(res)
            assert f"Outcome: {appendix._h(gap['outcome'])}." in text
            assert f"“{appendix._h(gap['queries'][0])}”" in text
