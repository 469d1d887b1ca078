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
    assert {"Reported", "Book's estimate", "Estimate ÷ reported (midpoints)", "Differ by more than a third"} <= set(
        t.columns
    )
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


def test_cells_from_the_data_are_escaped_and_tables_scroll_in_their_own_box():
    import pandas as pd

    claims = pd.DataFrame({"claim": ["<script>alert(1)</script>"], "chapter": ["05_conclusions"]})
    html = tables.claims_list(claims).to_html()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="oilroutes-table-box" style="overflow-x:auto' in html
    assert "05_conclusions" not in html and "Chapter 5" in html


def test_reader_tables_have_human_headers_yes_no_and_no_index():
    t = tables.oil_economy_table(data.load("oil_economy"))
    html = t.to_html()
    assert set(t.data["Approximate"]) <= {"yes", "no", tables.BLANK}
    assert "approximate" not in t.data.columns and "True" not in html and "False" not in html
    assert 'class="row_heading' not in html  # no index column
    assert "nus2025" not in html  # sources in words, not keys


def test_outages_table_rounds_and_collapses_the_split_by_route():
    from oilroutes import model

    t = tables.outages_table(model.historical_outages(model.network_from_data()))
    assert len(t.data.columns) <= 8
    assert all(len(v.split(".")[-1]) <= 2 for v in t.data["Lost (Mt)"] if "." in v)
    html = t.to_html()
    assert "<details" in html and "Working table for re-running the analysis" in html


def test_working_tables_are_collapsed_and_labelled():
    from oilroutes import chain

    html = tables.leg_lengths_table(chain.leg_lengths(data.load_legs())).to_html()
    assert html.startswith('<details class="oilroutes-working"><summary>Working table for re-running the analysis: ')


def test_data_cards_link_only_http_addresses_and_escape_descriptions():
    from oilroutes import appendix

    assert appendix._h_link("Title", "javascript:alert(1)") == "Title"
    assert appendix._h_link("Title", " JavaScript:alert(1)") == "Title"
    assert appendix._h_link("T", 'https://example.org/a b"><b') == (
        '<a class="reference external" href="https://example.org/a%20b&quot;&gt;&lt;b">T</a>'
    )
    assert appendix._h("<img src=x onerror=alert(1)> & R&amp;D") == "&lt;img src=x onerror=alert(1)> & R&amp;amp;D"
    # '&' is escaped just where a browser would start a character reference: a name HTML knows, or a number
    assert appendix._h("S&P, &copy 2020, &#60;b, &lt;b") == "S&P, &amp;copy 2020, &amp;#60;b, &amp;lt;b"
    assert appendix._h("Kazakhstan's 'precision'") == "Kazakhstan’s ‘precision’"  # as Sphinx gives the page
    # a blank line in the data would end a card's HTML block and hand the rest to Markdown: text keeps to one line
    assert appendix._h("a\n\n[x](javascript:alert(1))") == "a [x](javascript:alert(1))"
    for resource in appendix.load_descriptor()["resources"]:
        body = appendix.card(resource).split("\n\n", 3)[3]  # after the heading, description and file line
        assert body.startswith('<div class="oilroutes-card">') and body.endswith("</div>")
        assert "\n\n" not in body, f"{resource['name']}: a blank line inside the card's HTML"
    # the Markdown part (heading, description, file line) is inert too: no HTML, no table break, no link syntax
    assert "<img" not in appendix._text("<img src=x onerror=alert(1)>")
    assert "\\|" in appendix._text("a | b")
