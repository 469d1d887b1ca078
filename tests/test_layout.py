"""Every page reads on a phone, a tablet and a desktop: checked in Chromium on the built book.

At 390, 768 and 1280 px wide, on every page of the book:

- the page never scrolls sideways;
- no chart or map frame is wider than the text column or cut by the viewport,
  and no chart is drawn wider than its frame;
- no pandas default table (``table.dataframe``) is visible;
- on every map no marker lies under the legend, the attribution is one line clear of
  the scale, each key place on the map has its label drawn inside the frame, and hovering the marker nearest each edge opens a
  tooltip that lies wholly inside the frame.

Full-page screenshots at 390 and 1280 px go to ``test-artifacts/layout/``.
"""

from pathlib import Path

import pytest
import yaml

from conftest import open_offline
from oilroutes.maps import KEY_PLACES

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts" / "layout"
WIDTHS = (390, 768, 1280)
SCREENSHOT_WIDTHS = (390, 1280)


def _pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for c in toc.get("chapters", [])]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


def _map_pages():
    return [p for p in _pages() if p.split("/")[-1][:2] in {"00", "01", "02", "03"}]


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
@pytest.mark.parametrize("page_name", _pages())
def test_page_fits_the_screen_and_its_maps_keep_everything_in_view(browser, site, page_name, width):
    page = _open(browser, f"{site}/{page_name}.html", width)
    try:
        if width in SCREENSHOT_WIDTHS:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{Path(page_name).name}-{width}.png"), full_page=True)
        m = page.evaluate(_FRAMES)
        assert m["scroll"] <= m["viewport"], (
            f"{page_name} scrolls sideways at {width} px ({m['scroll']} > {m['viewport']})"
        )
        left, right = m["column"]
        for i, f in enumerate(m["frames"]):
            name = f"{page_name} {f['kind']} {i} at {width} px"
            assert f["width"] <= right - left + 1, (
                f"{name} is {f['width']:.0f} px wide in a {right - left:.0f} px column"
            )
            assert f["left"] >= -1 and f["right"] <= m["viewport"] + 1, f"{name} is cut by the viewport"
            if f["kind"] == "chart":
                assert f["drawn"] > 0, f"{name} did not draw"
                assert f["drawn"] <= f["inner"] + 2, (
                    f"{name} is drawn {f['drawn']:.0f} px wide in a {f['inner']} px frame"
                )
        visible_raw = page.evaluate(
            "() => Array.from(document.querySelectorAll('table.dataframe')).filter(t => t.getClientRects().length && "
            "getComputedStyle(t).visibility !== 'hidden').length"
        )
        assert visible_raw == 0, f"{page_name} shows {visible_raw} pandas default table(s) at {width} px"
        if page_name in _map_pages():
            _check_maps(page, page_name, width)
    finally:
        page.close()


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
        page.wait_for_timeout(300)
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
            page.wait_for_timeout(100)
            page.mouse.move(offset["x"] + m["x"], offset["y"] + m["y"])
            tip = frame.locator(".leaflet-tooltip").last
            tip.wait_for(state="visible", timeout=3000)
            page.wait_for_timeout(100)
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
