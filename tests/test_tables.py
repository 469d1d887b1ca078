"""The page tables: one row per item, no NaN shown to readers, sources in words."""

from oilroutes import analysis, conclusions, data, losses, tables


def _text(styler):
    return styler.to_html()


def test_legs_table_has_a_row_per_leg_with_sources_and_no_nan():
    legs = data.load_legs()
    t = tables.legs_table(legs)
    assert len(t.data) == len(legs)
    html = _text(t)
    assert "nan" not in html.lower().replace("financ", "")
    assert "bp Azerbaijan" in html and 'class="oilroutes-table"' in html


def test_losses_table_does_not_pretend_an_unreported_end_was_assumed():
    t = tables.losses_table(losses.event_losses(), data.load("cpc_events")).data.set_index("Event")
    assert t.loc["Oil spill at SPM-1", "Days (reported)"] == "end not reported"
    assert t.loc["Oil spill at SPM-1", "Phases costed (days)"] == "—"
    assert t.loc["March 2022 storm damages the moorings", "Phases costed (days)"] == "2 (31)"
    assert t.loc["Drone strike on Kropotkinskaya pump station", "Lost volume (Mt)"].startswith("0.00–")


def test_model_vs_reported_table_gives_both_figures_and_the_ratio():
    t = tables.model_vs_reported_table(losses.model_vs_reported()).data
    assert {"Reported", "Book's estimate", "Estimate ÷ reported (midpoints)", "Differ by more than a third"} <= set(t.columns)
    assert set(t["Differ by more than a third"]) <= {"yes", "no"}


def test_split_and_events_tables_cover_their_data():
    split = analysis.route_split()
    assert len(tables.split_table(split).data) == len(split)
    events = data.load("cpc_events")
    assert len(tables.events_table(events).data) == len(events)


def test_claims_table_colours_each_verdict():
    checked = conclusions.check_claims()
    html = _text(tables.claims_table(checked))
    for verdict in set(checked["verdict"]):
        assert tables.VERDICT_COLORS[verdict] in html
