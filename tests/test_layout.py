"""Every page reads on a phone, a tablet and a desktop: checked in Chromium on the built book.

At 390, 768 and 1280 px wide, on every page of the book (a page that draws no figure is loaded once
and resized to each width):

- the page never scrolls sideways;
- no chart or map frame is wider than the text column or cut by the viewport,
  and no chart is drawn wider than its frame;
- no pandas default table (``table.dataframe``) is visible;
- on every map no marker lies under the legend, the attribution is one line clear of
  the scale, each key place on the map has its label drawn inside the frame, and hovering the marker
  nearest each edge opens a tooltip that lies wholly inside the frame;
- every chapter's chart and table text is at least 4.5:1 against what lies behind it in dark mode (light
  mode: test_book.py);
- on chapter 2's timeline (at 390 and 1280 px), every label of the sanctions band is whole, and each
  square's tooltip lies wholly on screen, clear of the pointer, with nothing over it, also for a square
  just under the sticky header.

A page that fails a check leaves its full-page screenshot in ``test-artifacts/layout/``;
``make screenshots`` keeps them for every page at every width.
"""

from pathlib import Path

import pytest

from conftest import FIGURE_PAGES, check_text_contrast, open_offline, pictured, still, timeline_spec, toc_pages
from oilroutes.maps import KEY_PLACES

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
WIDTHS = (390, 768, 1280)


def _map_pages():
    return [p for p in toc_pages() if p.split("/")[-1][:2] in {"00", "01", "02", "03"}]


TEXT_PAGES = [p for p in toc_pages() if p not in FIGURE_PAGES]


@pytest.fixture(scope="module")
def site(server):
    """The built book, served locally (the shared fixtures in conftest build it once per run)."""
    return server


def _open(browser, url, width):
    """A page at ``width`` px with every request that is not to the local server blocked (an offline reader)."""
    return open_offline(browser, url, width)[0]


_FRAMES = """() => {
  const column = document.querySelector('article.bd-article') || document.querySelector('main');
  const c = column.getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll('.oilroutes-chart, .cell_output iframe')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;   // inside a collapsed block
    const svg = el.querySelector && el.querySelector('svg');
    out.push({kind: el.tagName === 'IFRAME' ? 'map' : 'chart', left: r.left, right: r.right, width: r.width,
              drawn: svg ? svg.getBoundingClientRect().width : 0, inner: el.clientWidth});
  }
  return {column: [c.left, c.right], viewport: window.innerWidth, scroll: document.documentElement.scrollWidth, frames: out};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_name", FIGURE_PAGES)
def test_page_fits_the_screen_and_its_maps_keep_everything_in_view(browser, site, page_name, width):
    page = _open(browser, f"{site}/{page_name}.html", width)
    try:
        with pictured(page, f"layout/{Path(page_name).name}-{width}"):
            _check_page(page, page_name, width)
    finally:
        page.close()


@pytest.mark.parametrize("page_name", TEXT_PAGES)
def test_page_without_figures_fits_the_screen_at_every_width(browser, site, page_name):
    """The same checks on a page that draws no chart or map, at each width in turn: its layout is its
    stylesheets' alone (no figure fitted to the column on load), so one load, resized, serves all three."""
    page = _open(browser, f"{site}/{page_name}.html", WIDTHS[0])
    try:
        assert page.locator(".oilroutes-chart, .cell_output iframe").count() == 0, f"{page_name} draws a figure"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("() => window.innerWidth") == width
            with pictured(page, f"layout/{Path(page_name).name}-{width}"):
                _check_page(page, page_name, width)
    finally:
        page.close()


def _check_page(page, page_name, width):
    m = page.evaluate(_FRAMES)
    assert m["scroll"] <= m["viewport"], f"{page_name} scrolls sideways at {width} px ({m['scroll']} > {m['viewport']})"
    left, right = m["column"]
    for i, f in enumerate(m["frames"]):
        name = f"{page_name} {f['kind']} {i} at {width} px"
        assert f["width"] <= right - left + 1, f"{name} is {f['width']:.0f} px wide in a {right - left:.0f} px column"
        assert f["left"] >= -1 and f["right"] <= m["viewport"] + 1, f"{name} is cut by the viewport"
        if f["kind"] == "chart":
            assert f["drawn"] > 0, f"{name} did not draw"
            assert f["drawn"] <= f["inner"] + 2, f"{name} is drawn {f['drawn']:.0f} px wide in a {f['inner']} px frame"
    visible_raw = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.dataframe')).filter(t => t.getClientRects().length && "
        "getComputedStyle(t).visibility !== 'hidden').length"
    )
    assert visible_raw == 0, f"{page_name} shows {visible_raw} pandas default table(s) at {width} px"
    if page_name in _map_pages():
        _check_maps(page, page_name, width)


_MAP_PARTS = "path.oilroutes-site, .oilroutes-label span, .oilroutes-legend, .leaflet-control, .folium-map"
_MAP_STATE = """() => {
  const box = document.querySelector('.folium-map').getBoundingClientRect();
  const legend = document.querySelector('.oilroutes-legend');
  const l = legend ? legend.getBoundingClientRect() : null;
  const inside = r => r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const markers = Array.from(document.querySelectorAll('path.oilroutes-site')).map(p => {
    const r = p.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    // visible: wholly inside the map; hoverable: also on top where the reader would point at it
    return {cls: p.getAttribute('class'), x, y, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            visible: inside(r), hoverable: inside(r) && document.elementFromPoint(x, y) === p};
  });
  const labels = {};
  for (const el of document.querySelectorAll('.oilroutes-label')) {
    const id = Array.from(el.classList).find(c => c.startsWith('label-')).slice(6);
    const span = el.querySelector('span'), r = span.getBoundingClientRect();
    labels[id] = {text: span.textContent, inside: inside(r), width: r.width};
  }
  const rect = sel => { const r = document.querySelector(sel).getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; };
  const credit = document.querySelector('.leaflet-control-attribution');
  return {box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
          legend: l && {left: l.left, right: l.right, top: l.top, bottom: l.bottom}, markers, labels,
          attribution: {...rect('.leaflet-control-attribution'), text: credit.innerText,
                        line: parseFloat(getComputedStyle(credit).lineHeight)},
          scale: rect('.leaflet-control-scale')};
}"""


def _overlaps(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _check_maps(page, page_name, width):
    """Markers clear of the legend, key places labelled, and edge tooltips inside the frame, on every map of the page."""
    iframes = page.locator(".cell_output iframe")
    assert iframes.count() > 0, f"{page_name} has no map"
    for i in range(iframes.count()):
        iframe = iframes.nth(i)
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function("() => document.querySelectorAll('path.oilroutes-site').length > 0")
        still(frame, _MAP_PARTS)  # the map fitted to its frame, the legend folded on a phone, the labels placed
        state = frame.evaluate(_MAP_STATE)
        name = f"{page_name} map {i} at {width} px"
        # the basemap's attribution is one line, clear of the scale, and names Natural Earth
        credit = state["attribution"]
        assert credit["height"] < 1.5 * credit["line"], f"{name}: the attribution wraps: {credit['text']!r}"
        assert not _overlaps(credit, state["scale"]), f"{name}: the attribution covers the scale"
        assert "Natural Earth" in credit["text"]
        visible = [m for m in state["markers"] if m["visible"]]
        shown = [m for m in visible if m["hoverable"]]
        assert shown, f"{name}: no marker in view"
        if state["legend"]:
            under = [m["cls"] for m in visible if _overlaps(m, state["legend"])]
            assert not under, f"{name}: markers under the legend: {under}"
        # every key place whose marker is in view has its label drawn inside the frame
        on_map = {m["cls"].split("site-")[1].split()[0] for m in visible if "site-" in m["cls"]}
        for place in sorted(on_map & set(KEY_PLACES)):
            label = state["labels"].get(place)
            assert label and label["width"] > 0, f"{name}: no label for {place}"
            assert label["text"] == KEY_PLACES[place][0]
            assert label["inside"], f"{name}: the label for {place} is cut by the frame"
        # hover the marker nearest each edge: its tooltip must lie wholly inside the frame
        b = state["box"]
        edges = {
            "left": min(shown, key=lambda m: m["left"] - b["left"]),
            "right": min(shown, key=lambda m: b["right"] - m["right"]),
            "top": min(shown, key=lambda m: m["top"] - b["top"]),
            "bottom": min(shown, key=lambda m: b["bottom"] - m["bottom"]),
        }
        offset = iframe.bounding_box()
        for edge, m in edges.items():
            page.mouse.move(0, 0)
            frame.wait_for_function("() => !document.querySelector('.leaflet-tooltip')")  # the last one closed
            page.mouse.move(offset["x"] + m["x"], offset["y"] + m["y"])
            tip = frame.locator(".leaflet-tooltip").last
            tip.wait_for(state="visible", timeout=3000)
            still(frame, ".leaflet-tooltip")  # placed, and pulled back inside the frame
            t = tip.bounding_box()
            inside = (
                t["x"] >= offset["x"] + b["left"] - 1
                and t["x"] + t["width"] <= offset["x"] + b["right"] + 1
                and t["y"] >= offset["y"] + b["top"] - 1
                and t["y"] + t["height"] <= offset["y"] + b["bottom"] + 1
            )
            assert inside, (
                f"{name}: the tooltip of the marker nearest the {edge} edge ({m['cls']}) leaves the frame: {t}"
            )
        page.mouse.move(0, 0)


_CHART_TEXT = """(el) => Array.from(el.querySelectorAll('svg text')).flatMap(t => {
  const spans = t.querySelectorAll('tspan');
  return spans.length ? Array.from(spans).map(s => s.textContent) : [t.textContent];
})"""


@pytest.mark.parametrize("page_name", FIGURE_PAGES)
def test_chart_and_table_text_reads_in_dark_mode(browser, site, page_name):
    """Each chapter's charts and tables, loaded in dark mode: every text at least 4.5:1 against what lies behind
    it, every opaque mark of the charts at least 3:1 (conftest.check_text_contrast). Light mode is checked on
    the pages test_book opens, as a reader with no saved preference and a light system gets them."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    page = ctx.new_page()
    try:
        page.goto(f"{site}/{page_name}.html", wait_until="load")
        check_text_contrast(page, "dark")
    finally:
        ctx.close()


@pytest.mark.parametrize("width", (390, 1280))
def test_timeline_band_labels_are_whole_and_its_tooltips_stay_on_screen(browser, site, width):
    """Chapter 2's timeline and its band of sanctions and carve-outs, on a phone and a desktop.

    Every label line of the band and of the rows above it is drawn in full (none cut to an ellipsis), every square can be pointed at
    (nothing, such as a legend, lies over it), and its tooltip, with its source, lies wholly on screen
    with nothing over it (the sticky header included).
    """
    from oilroutes import data

    legal = data.load("legal_context")
    spec = timeline_spec(legal)
    [band] = [p for p in spec["vconcat"] if "Sanctions" in str(p.get("title"))]
    lines = [line for label in band["encoding"]["y"]["sort"] for line in label.split("\n")]
    page = _open(browser, f"{site}/chapters/02_cpc_disruptions.html", width)
    try:
        chart = page.locator(".oilroutes-chart[aria-label^='Timeline']")
        drawn = chart.evaluate(_CHART_TEXT)
        missing = [line for line in lines if line not in drawn]
        assert not missing, f"band labels cut or missing at {width} px: {missing}"
        # the disruptions' and the political events' row labels are whole too
        sort = spec["vconcat"][0]["layer"][1]["encoding"]["y"]["sort"]
        missing = [line for label in sort for line in label.split("\n") if line not in drawn]
        assert not missing, f"row labels cut or missing at {width} px: {missing}"
        squares = chart.locator("path[aria-label*='Instrument']")
        assert squares.count() == len(legal)
        titles = list(legal.sort_values("date")["title"])
        for i in range(squares.count()):
            page.mouse.move(0, 0)
            squares.nth(i).hover(timeout=5000)  # fails if another element lies over the square
            box = squares.nth(i).bounding_box()
            _check_tooltip(
                page, width, f"square {i}", titles[i], (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            )
        # a square just under the sticky header: the tooltip goes below the pointer, not under the header
        page.mouse.move(0, 0)
        page.mouse.wheel(0, squares.nth(0).bounding_box()["y"] - 70)
        page.wait_for_timeout(300)
        box = squares.nth(0).bounding_box()
        pointer = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.move(*pointer)
        _check_tooltip(page, width, "the square nearest the top", titles[0], pointer)
    finally:
        page.close()


_TIP_STATE = """() => {
  const t = document.getElementById('vg-tooltip-element');
  if (!t || !t.classList.contains('visible')) return null;
  const r = t.getBoundingClientRect();
  const clear = [[r.left + 12, r.top + 6], [r.right - 12, r.top + 6], [r.left + r.width / 2, r.bottom - 6]]
    .every(([x, y]) => t.contains(document.elementFromPoint(x, y)));
  return {x: r.left, y: r.top, width: r.width, height: r.height, clear, text: t.innerText};
}"""


def _check_tooltip(page, width, name, title, pointer):
    """The chart tooltip is open, wholly on screen, clear of the pointer, covered by nothing (a header, a legend),
    and names the measure and its source."""
    page.locator("#vg-tooltip-element.visible").wait_for(state="visible", timeout=3000)
    page.wait_for_timeout(150)  # the tooltip is pulled on screen on the next frame
    t = page.evaluate(_TIP_STATE)
    assert t, f"the tooltip of {name} closed again at {width} px (did it come under the pointer?)"
    on_screen = t["x"] >= 0 and t["x"] + t["width"] <= width and t["y"] >= 0 and t["y"] + t["height"] <= 900
    assert on_screen, f"the tooltip of {name} leaves the screen at {width} px: {t}"
    assert t["clear"], f"the tooltip of {name} is covered at {width} px: {t}"
    x, y = pointer
    over = t["x"] <= x <= t["x"] + t["width"] and t["y"] <= y <= t["y"] + t["height"]
    assert not over, f"the tooltip of {name} hides the point it describes at {width} px: {t}, pointer {pointer}"
    assert title in t["text"] and "Source" in t["text"], t["text"]
