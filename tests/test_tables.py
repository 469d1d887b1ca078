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
    assert t.loc["Oil spill at SPM-1", "Days"] == "end not reported"
    assert t.loc["Naval drones disable SPM-2", "Days"].endswith("(assumed)")
    assert t.loc["Drone strike on Kropotkinskaya pump station", "Reported cut"] == "30–40%"


def test_split_and_events_tables_cover_their_data():
    split = analysis.route_split()
    assert len(tables.split_table(split).data) == len(split)
    events = data.load("cpc_events")
    assert len(tables.events_table(events).data) == len(events)


def test_claims_table_colours_each_verdict():
    html = _text(tables.claims_table(conclusions.check_claims()))
    for colour in (tables.VERDICT_COLORS["supported"], tables.VERDICT_COLORS["not supported"], tables.VERDICT_COLORS["unverified"]):
        assert colour in html
