"""The whole book builds strictly, stays within its size budget, and every page works in a browser.

The build runs once per session (cached execution makes a rebuild fast). The
browser checks serve ``_build/html`` on 127.0.0.1 and open each page in headless
Chromium (Debian's package); a request to any other origin is blocked and fails
the test, and so does every console error.
"""

import re
from pathlib import Path

import pytest

from conftest import BARS_CHANGED, FIGURE_PAGES, SHOWN, check_text_contrast, open_offline, pictured, toc_pages, until
from oilroutes import data, style
from oilroutes.paths import repo_root

pytestmark = pytest.mark.book  # every test here needs the built book; browser tests are marked in conftest

ROOT = repo_root()
HTML = ROOT / "_build" / "html"
PAGE_BUDGET = 2 * 1024 * 1024
BOOK_BUDGET = 20 * 1024 * 1024


def _pages():
    return [f for f in toc_pages() if f.startswith("chapters/0")]


def test_strict_build_has_no_warnings(built_book):
    warnings = [
        line for line in built_book.splitlines() if "WARNING" in line and "Kernel is running over TCP" not in line
    ]
    assert not warnings, "\n".join(warnings)


@pytest.mark.parametrize("page", _pages())
def test_page_exists_and_is_within_budget(built_book, page):
    path = HTML / f"{page}.html"
    assert path.is_file()
    assert path.stat().st_size < PAGE_BUDGET, f"{page} is {path.stat().st_size / 1e6:.2f} MB"


def test_whole_book_is_within_budget(built_book):
    total = sum(p.stat().st_size for p in HTML.rglob("*") if p.is_file())
    assert total < BOOK_BUDGET, f"built book is {total / 1e6:.1f} MB"


def test_pages_use_no_cdn_for_maps_and_charts(built_book):
    for page in _pages():
        html = (HTML / f"{page}.html").read_text()
        assert "cdn.jsdelivr.net/npm/leaflet" not in html, page
        assert "cdn.jsdelivr.net/npm/vega" not in html, page


# --- browser checks ---------------------------------------------------------------


def _open(browser, url):
    """Open a page offline at 1280 px; every console error counts (a request to another origin is in `blocked`)."""
    return open_offline(browser, url)


@pytest.fixture(scope="module")
def opened(browser, server):
    """Each page opened once for the checks below that read it, hover its figures and open a solution:
    each leaves the page as a reader would (the pointer moved away), so the next check starts from there."""
    pages = {}

    def get(page_name):
        if page_name not in pages:
            pages[page_name] = _open(browser, f"{server}/{page_name}.html")
        return pages[page_name]

    yield get
    for page, _, _ in pages.values():
        page.close()


def _map_frames(page):
    return [f for f in page.frames if f != page.main_frame and f.evaluate("() => !!window.L")]


@pytest.mark.parametrize("page_name", _pages())
def test_page_in_browser_has_no_errors_and_draws_everything(opened, page_name):
    page, problems, blocked = opened(page_name)
    with pictured(page, Path(page_name).name):
        _check_drawn(page, problems, blocked)


def _check_drawn(page, problems, blocked):
    assert not blocked, f"{len(blocked)} requests to other origins: {blocked[:5]}"
    assert not problems, "\n".join(problems)
    for frame in _map_frames(page):
        drawn_legs = frame.locator("path.oilroutes-leg").count()
        drawn_sites = frame.locator("path.oilroutes-site").count()
        # every line and circle the page's script declares must be drawn
        expected = frame.evaluate(
            "() => Array.from(document.scripts).map(s => s.text).join('').match(/oilroutes-(leg|site) /g).length"
        )
        assert drawn_legs + drawn_sites == expected
        assert drawn_legs + drawn_sites > 0
        assert frame.locator("path.leaflet-interactive").count() >= drawn_legs + drawn_sites
        # the Natural Earth basemap (land, rivers, lakes, borders) is drawn, from the book's own files,
        # in a pane under the routes and under the markers and labels
        basemap = frame.locator(".leaflet-basemap-pane path")
        assert basemap.count() == 4
        assert len(basemap.first.get_attribute("d")) > 1000
        assert basemap.nth(1).get_attribute("stroke") == style.MAP["river"]
        assert basemap.nth(2).get_attribute("fill") == style.MAP["sea"]  # lakes
        z = frame.evaluate(
            "() => ['basemap', 'overlay', 'marker'].map(p => "
            "+getComputedStyle(document.querySelector('.leaflet-' + p + '-pane')).zIndex)"
        )
        assert z[0] < z[1] < z[2], z
        assert (
            "Natural Earth: land, borders, lakes, rivers" in frame.locator(".leaflet-control-attribution").inner_text()
        )
    for chart in page.locator(".oilroutes-chart").all():
        assert (
            chart.locator(
                "svg .mark-rect path, svg .mark-rect rect, svg .mark-line path, svg .mark-symbol path, svg .mark-area path"
            ).count()
            > 0
        )


@pytest.mark.parametrize("page_name", FIGURE_PAGES)
def test_chart_and_table_text_reads_in_light_mode(opened, page_name):
    """Each chapter's charts and tables as the page opens for a reader with no saved preference and a light
    system: every text at least 4.5:1 against what lies behind it, every opaque mark at least 3:1 but for the
    colours kept pale on purpose (conftest.check_text_contrast; dark mode: test_layout.py)."""
    page, _, _ = opened(page_name)
    check_text_contrast(page, "light")


def test_introduction_map_draws_every_leg_and_site(opened):
    page, _, _ = opened("chapters/00_introduction")
    frame = _map_frames(page)[0]
    assert frame.locator("path.oilroutes-leg").count() == len(data.load_legs())
    assert frame.locator("path.oilroutes-site").count() == len(data.load_sites())


def test_hovering_a_route_shows_its_tooltip_with_source(opened):
    page, _, _ = opened("chapters/00_introduction")
    iframe = page.locator("iframe").first
    iframe.scroll_into_view_if_needed()
    frame = _map_frames(page)[0]
    # move the mouse onto the middle of the BTC line, as a reader would
    x, y = frame.evaluate("""() => {
        const p = document.querySelector('path.leg-btc');
        const pt = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
        return [pt.x * m.a + m.e, pt.y * m.d + m.f];
    }""")
    box = iframe.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=3000)
    text = tooltip.inner_text()
    assert "Baku–Tbilisi–Ceyhan" in text and "bp Azerbaijan" in text
    page.mouse.move(0, 0)


def test_hovering_a_bar_shows_its_value_and_source(opened):
    page, _, _ = opened("chapters/00_introduction")
    chart = page.locator(".oilroutes-chart").first
    chart.scroll_into_view_if_needed()
    chart.locator("svg .mark-rect path").first.hover(force=True)
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=3000)
    assert re.search(r"Source", tip.inner_text())
    page.mouse.move(0, 0)


def test_scenario_sliders_move_the_chart(browser, server):
    page, problems, _ = _open(browser, f"{server}/chapters/04_scenarios.html")
    chart = page.locator(".oilroutes-chart").first
    chart.scroll_into_view_if_needed()
    bars = chart.locator("svg .mark-rect path")

    def shape():
        return [bars.nth(i).get_attribute("d") for i in range(bars.count())]

    def summary():
        # the readout under the bars (the last text the chart draws); the axis itself stays fixed
        return chart.locator("svg .mark-text.role-mark text").last.text_content()

    before, text_before = shape(), summary()
    depth = chart.locator("input[type=range]").first
    depth.fill("90")
    depth.dispatch_event("input")
    until(
        page,
        BARS_CHANGED,
        "moving the depth slider did not change the bars",
        [chart.element_handle(), " ".join(before)],
    )
    after, text_after = shape(), summary()
    assert before and after and before != after
    assert text_before != text_after
    page.locator("input[type=radio]").nth(1).check()
    until(
        page,
        BARS_CHANGED,
        "switching to the expansion scenario did not change the bars",
        [chart.element_handle(), " ".join(after)],
    )
    assert not problems
    page.close()


def test_every_chart_and_map_in_the_built_pages_has_a_text_alternative(built_book):
    for page in _pages():
        html = (HTML / f"{page}.html").read_text()
        charts = re.findall(r'<div id="vis-[0-9a-f]+" class="oilroutes-chart" role="figure" aria-label="([^"]*)"', html)
        assert all(len(a) > 40 for a in charts), page
        assert html.count('class="oilroutes-chart"') == len(charts), page
        iframes = re.findall(r"<iframe ([^>]*)>", html)
        for attrs in iframes:
            title = re.search(r'title="([^"]*)"', attrs)
            assert title and len(title.group(1)) > 40, f"{page}: a map without a text alternative"


def test_every_stylesheet_a_page_links_carries_its_checksum(built_book):
    """A reader's browser fetches a changed stylesheet anew, and a clean build and a build over an earlier
    one write the same links (sphinx-exercise copied its stylesheet only after the pages were written, so
    a clean build linked it bare)."""
    for page in _pages():
        text = (HTML / f"{page}.html").read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" type="text/css" href="([^"]+)"', text)
        assert any("exercise.css" in link for link in links), page
        bare = [link for link in links if "_static/" in link and not re.search(r"\?(v|digest)=\w+$", link)]
        assert not bare, f"{page}: stylesheets linked without a checksum: {bare}"


def test_glossary_data_appendix_and_execution_pages_are_built(built_book):
    glossary = (HTML / "chapters" / "glossary.html").read_text()
    for term in ("CPC", "BTC", "SPM", "KEBCO", "Druzhba", "Force majeure", "Transit tariff"):
        assert term in glossary
    intro = (HTML / "chapters" / "00_introduction.html").read_text()
    assert 'href="glossary.html#term-CPC"' in intro
    cards = (HTML / "chapters" / "06_data_and_methods.html").read_text()
    downloads = re.findall(r'href="\.\./(_downloads/[0-9a-f]+/[\w.]+\.(?:csv|geojson|bib))"', cards)
    names = {Path(d).name for d in downloads}
    assert {"sites.csv", "route_legs.geojson", "cpc_events.csv", "references.bib"} <= names
    assert all((HTML / d).is_file() for d in downloads)
    assert "execution" in (HTML / "chapters" / "execution.html").read_text().lower()


def test_every_data_card_has_its_fields_table_and_the_search_finds_its_field_names(built_book):
    """The cards' fields and sources reach the page as HTML: each card has its table of fields, and the
    book's search still indexes what the tables say (Sphinx reads raw HTML with its tags removed)."""
    import json

    from sphinx.search.en import SearchEnglish

    from oilroutes.validate import load_descriptor

    page = (HTML / "chapters" / "06_data_and_methods.html").read_text()
    resources = load_descriptor()["resources"]
    assert page.count('<div class="pst-scrollable-table-container"><table class="table">') >= len(resources)
    for r in resources:
        assert f'<span class="pre">{r["schema"]["fields"][0]["name"]}</span>' in page
    index = (HTML / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    doc = index["docnames"].index("chapters/06_data_and_methods")
    stem = SearchEnglish({}).stem

    def on_page(term):
        found = index["terms"].get(term, -1)
        return found == doc or (isinstance(found, list) and doc in found)

    fields = {f["name"].lower() for r in resources for f in r["schema"]["fields"]}
    assert not [f for f in sorted(fields) if not on_page(stem(f))], "field names the search cannot find"
    # the sources' '&' ("S&P Global", "Seward & Kissel") reach the search as the character, not as 'amp'
    assert "S&P Global" in page and not on_page("amp")


def test_launch_and_download_buttons_are_on_chapter_pages(built_book):
    html = (HTML / "chapters" / "02_cpc_disruptions.html").read_text()
    assert "colab.research.google.com" in html and "mybinder.org" in html
    assert "02_cpc_disruptions.ipynb" in html


@pytest.mark.parametrize("page_name", [p for p in _pages() if p[9:11] in {"00", "01", "02", "03", "04", "05"}])
def test_objectives_glossary_links_and_collapsed_solutions_on_each_chapter(opened, page_name):
    page, _, _ = opened(page_name)
    assert page.get_by_text("Learning objectives").first.is_visible()
    assert page.locator('a[href^="glossary.html#term-"]').count() >= 5
    solution = page.locator(".solution.dropdown").first
    solution.scroll_into_view_if_needed()
    body = solution.locator(".cell").first
    assert body.count() == 1
    assert not body.is_visible(), "a solution is open before the reader asks for it"
    solution.locator(".admonition-title").first.click()
    until(page, SHOWN, "clicking the solution's title did not open it", body.element_handle())


def _hover_map_feature(page, frame, iframe):
    """Move the mouse onto the first drawn line or marker of a map; return the tooltip's text."""
    x, y = frame.evaluate("""() => {
        const p = document.querySelector('path.oilroutes-leg') || document.querySelector('path.oilroutes-site');
        const b = p.getBoundingClientRect();
        if (p.classList.contains('oilroutes-leg')) {
            const pt = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
            return [pt.x * m.a + m.e, pt.y * m.d + m.f];
        }
        return [b.x + b.width / 2, b.y + b.height / 2];
    }""")
    box = iframe.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = frame.locator(".leaflet-tooltip")
    tip.first.wait_for(timeout=3000)
    return tip.first.inner_text()


@pytest.mark.parametrize("page_name", _pages())
def test_hovering_a_feature_of_each_map_and_chart_shows_its_tooltip(opened, page_name):
    page, _, _ = opened(page_name)
    iframes = page.locator("iframe")
    for i in range(iframes.count()):
        iframe = iframes.nth(i)
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        assert "Source" in _hover_map_feature(page, frame, iframe)
        page.mouse.move(0, 0)
    charts = page.locator(".oilroutes-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        mark = chart.locator("svg .mark-rect path, svg .mark-symbol path").first
        if mark.count() == 0:
            continue
        mark.hover(force=True)
        tip = page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible", timeout=3000)
        assert tip.inner_text().strip()
        page.mouse.move(0, 0)
