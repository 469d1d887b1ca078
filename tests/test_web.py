"""The built pages are light, accessible, valid and private.

* No page requests anything from another origin (online or offline): every
  request leaving the book's own server is counted and fails the test.
* axe-core (WCAG 2.1 A and AA) finds nothing on any page, in any map or chart frame.
* Every control (sliders, radio buttons, map zoom, layer and legend toggles,
  chart menus, solutions) is reached with Tab and works from the keyboard.
* Each page, with everything it loads gzipped as a static host serves it,
  stays within its budget (300 KB without figures, 700 KB with maps or charts).
* The Nu HTML Checker finds no error in the book's own markup.

axe-core and the Nu checker (vnu.jar) are pinned npm packages checked by
sha512 (``oilroutes.vendor.TEST_PACKAGES``); vnu runs on the system Java.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BAR_SHAPES, BARS_CHANGED, SHOWN, until
from oilroutes import pagemetrics
from oilroutes.vendor import ensure_test_tools

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def html(built_book) -> Path:
    return HTML


def _pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [f"{f}.html" for f in files] + ["index.html", "search.html", "genindex.html"]


PAGES = _pages()
# index.html sends the reader straight on to the first chapter, which is measured and checked itself;
# its own markup is checked by the Nu checker and the head test below.
BROWSER_PAGES = [p for p in PAGES if p != "index.html"]


@pytest.fixture(scope="module")
def site(html):
    with pagemetrics.serve(html) as base:
        yield base


@pytest.fixture(scope="module")
def tools():
    return ensure_test_tools(ROOT)


# --- privacy and weight --------------------------------------------------------------


@pytest.fixture(scope="module")
def metrics(browser, site, html, tools):
    """Each page opened once: its requests and weight counted, and axe-core run once its figures are drawn."""
    axe_js = (tools / "axe.min.js").read_text()
    return {
        m.page: m
        for m in (
            pagemetrics.measure_page(browser, site, p, settle_ms=300, after=lambda pg: _axe(pg, axe_js))
            for p in BROWSER_PAGES
        )
    }


@pytest.mark.parametrize("page", BROWSER_PAGES)
def test_page_requests_nothing_from_another_origin(metrics, page):
    m = metrics[page]
    assert m.requests > 0
    assert not m.outside, f"{page} requested {len(m.outside)} URLs outside the book: {m.outside[:5]}"


@pytest.mark.parametrize("page", BROWSER_PAGES)
def test_page_weight_within_budget(metrics, page):
    m = metrics[page]
    top = sorted(m.by_url.items(), key=lambda kv: -kv[1])[:6]
    assert m.gzip_bytes <= m.budget, (
        f"{page}: {m.gzip_bytes / 1000:.0f} KB gzipped > {m.budget / 1000:.0f} KB; largest: {top}"
    )


def test_figure_libraries_load_only_where_used_and_basemap_once(metrics):
    for page, m in metrics.items():
        urls = list(m.by_url)
        has_map = any("leaflet" in u for u in urls)
        has_chart = any("vega" in u for u in urls)
        assert not any("fontawesome" in u for u in urls), page
        if not m.figures:
            assert not has_map and not has_chart, f"{page} loads a figure library without a figure"
        assert sum(u.endswith("basemap.json") for u in urls) <= 1, page


def test_measuring_counts_outside_requests(browser, site, tmp_path):
    """The privacy check itself works: a page that asks another origin is caught."""
    probe = HTML / "_probe_outside.html"
    probe.write_text(
        '<!DOCTYPE html><html lang="en"><title>probe</title><img src="https://tile.example.org/1.png" alt="">'
    )
    try:
        m = pagemetrics.measure_page(browser, site, "_probe_outside.html", settle_ms=200)
    finally:
        probe.unlink()
    assert m.outside == ["https://tile.example.org/1.png"]


# --- accessibility -------------------------------------------------------------------


def _axe(page, axe_js: str) -> list[dict]:
    """Run axe in the page and in each of its frames; return the violations found."""
    found = []
    for frame in page.frames:
        if (
            frame.is_detached()
            or frame.url.startswith("about:blank")
            and frame != page.main_frame
            and not frame.evaluate("() => document.body && document.body.children.length > 0")
        ):
            continue
        frame.evaluate(axe_js)
        result = frame.evaluate(
            """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
            rules: {'label-content-name-mismatch': {enabled: true}}, iframes: false, resultTypes: ['violations']})""",
            AXE_TAGS,
        )
        for v in result["violations"]:
            found.append(
                {
                    "frame": "main" if frame == page.main_frame else "frame",
                    "id": v["id"],
                    "impact": v["impact"],
                    "nodes": [n["target"] for n in v["nodes"]][:4],
                    "count": len(v["nodes"]),
                }
            )
    return found


@pytest.mark.parametrize("page", BROWSER_PAGES)
def test_no_axe_violations_in_page_and_frames(metrics, page):
    m = metrics[page]
    assert m.figures_ready_ms is not None or not m.figures, f"{page}: figures never drawn"
    assert not m.extra, json.dumps(m.extra, indent=1)


def test_axe_catches_a_violation(browser, site, tools):
    """The accessibility check itself works: an unlabelled button is a violation."""
    page = browser.new_page()
    page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main><button></button></main></html>')
    violations = _axe(page, (tools / "axe.min.js").read_text())
    page.close()
    assert any(v["id"] == "button-name" for v in violations)


# --- keyboard ------------------------------------------------------------------------

_ACTIVE_JS = """() => {
  let el = document.activeElement, inFrame = false;
  while (el && el.tagName === 'IFRAME' && el.contentDocument) { el = el.contentDocument.activeElement; inFrame = true; }
  if (!el) return '';
  return (inFrame ? 'frame ' : '') + el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' ' +
    (typeof el.className === 'string' ? el.className : '') + ' ' + (el.getAttribute('aria-label') || '');
}"""


def _tab_to(page, *needles: str, limit: int = 400) -> str:
    """Press Tab until the focused element (looking into map frames) matches every needle; return it."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE_JS)
        seen.append(active)
        if all(n in active for n in needles):
            return active
    raise AssertionError(f"Tab never reached {needles}; last stops: {seen[-8:]}")


_ZOOM = "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"
# no zoom animation running (Leaflet marks the map while one runs, and ignores the zoom buttons meanwhile)
_STILL_MAP = "!document.querySelector('.leaflet-zoom-anim')"
# how many of a chart's bars are faded (another legend entry highlighted)
_FADED = (
    "c => Array.from(c.querySelectorAll('.mark-rect path')).filter(p => p.getAttribute('opacity') === '0.25').length"
)


def _map_zoom(frame) -> int:
    return frame.evaluate(_ZOOM)


def test_keyboard_reaches_and_works_map_controls_legends_and_solutions(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/chapters/00_introduction.html", wait_until="load")
    page.wait_for_function(pagemetrics.FIGURES_READY_JS, timeout=15000)
    frame = page.locator("iframe").first.element_handle().content_frame()
    before = _map_zoom(frame)
    _tab_to(page, "frame", "leaflet-control-zoom-in")
    page.keyboard.press("Enter")
    until(frame, f"() => ({_ZOOM})() > {before} && {_STILL_MAP}", "Enter on the zoom-in button did not zoom in")
    _tab_to(page, "frame", "leaflet-control-zoom-out")
    page.keyboard.press("Enter")
    until(
        frame, f"() => ({_ZOOM})() === {before} && {_STILL_MAP}", "Enter on the zoom-out button did not zoom back out"
    )
    _tab_to(page, "frame", "leaflet-control-layers-toggle")
    page.keyboard.press("Enter")
    until(
        frame,
        "() => document.querySelectorAll('.leaflet-control-layers-expanded').length === 1",
        "Enter did not open the layer list",
    )
    box = _tab_to(page, "frame", "input[checkbox]")
    assert "leaflet-control-layers-selector" in box
    drawn = frame.locator("path.oilroutes-leg").count()
    page.keyboard.press("Space")
    until(
        frame,
        f"() => document.querySelectorAll('path.oilroutes-leg').length < {drawn}",
        "Space on a layer checkbox did not hide its routes",
    )
    page.keyboard.press("Space")
    legend = frame.locator("details.oilroutes-legend")
    assert legend.get_attribute("open") is not None
    _tab_to(page, "frame", "summary")
    page.keyboard.press("Enter")
    until(
        frame,
        "() => !document.querySelector('details.oilroutes-legend').open",
        "Enter on the legend's title did not fold it",
    )
    # the chart's legend highlights a route from the keyboard, as a click does
    chart = page.locator(".oilroutes-chart[data-legend-keys]").first
    assert chart.evaluate(_FADED) == 0
    _tab_to(page, "Highlight ")
    page.keyboard.press("Enter")
    until(
        page, f"c => ({_FADED})(c) > 0", "Enter on a legend entry did not highlight its route", chart.element_handle()
    )
    page.keyboard.press("Shift+Enter")
    until(
        page,
        f"c => ({_FADED})(c) === 0",
        "Shift+Enter on the highlighted entry did not take it out",
        chart.element_handle(),
    )
    # further down the page, an exercise's solution opens from the keyboard
    solution = page.locator(".solution.dropdown").first
    body = solution.locator(".cell").first
    assert not body.is_visible()
    _tab_to(page, "toggle-button")
    page.keyboard.press("Enter")
    until(page, SHOWN, "Enter on a solution's toggle did not open it", body.element_handle())
    page.close()


@pytest.mark.parametrize("width", (390, 1280))
def test_the_sidebar_buttons_a_reader_sees_work_by_pointer_and_keyboard(browser, site, width):
    """On a phone the menu and the page's contents open as dialogs (Escape closes them); on a wide
    screen the menu button folds the sidebar away and back."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{site}/chapters/02_cpc_disruptions.html", wait_until="load")
    menu = page.locator(".primary-toggle:visible")
    assert menu.count() == 1, f"{menu.count()} visible menu buttons at {width} px"
    if width < 992:
        for toggle, dialog, link in (
            (menu, "#pst-primary-sidebar-modal", "a[href$='03_btc_alternative.html']"),
            (page.locator(".secondary-toggle:visible"), "#pst-secondary-sidebar-modal", "a[href^='#']"),
        ):
            assert toggle.count() == 1, f"no visible button for {dialog} at {width} px"
            for press in (toggle.click, lambda t=toggle: (t.focus(), page.keyboard.press("Enter"))):
                press()
                modal = page.locator(dialog)
                modal.locator(link).first.wait_for(state="visible", timeout=3000)
                assert modal.evaluate("d => d.open"), f"{dialog} did not open"
                page.keyboard.press("Escape")
                page.wait_for_function(f"() => !document.querySelector({dialog!r}).open", timeout=3000)
    else:
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        menu.click()
        sidebar.wait_for(state="hidden", timeout=3000)
        menu.focus()
        page.keyboard.press("Enter")
        sidebar.wait_for(state="visible", timeout=3000)
    page.close()


def test_keyboard_moves_the_scenario_sliders_and_switches(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/chapters/04_scenarios.html", wait_until="load")
    page.wait_for_function(pagemetrics.FIGURES_READY_JS, timeout=15000)
    chart = page.locator(".oilroutes-chart").first
    bars = chart.locator("svg .mark-rect path")

    def shape():
        return [bars.nth(i).get_attribute("d") for i in range(bars.count())]

    slider = chart.locator("input[type=range]").first
    start_value, start_shape = slider.input_value(), shape()
    _tab_to(page, "input[range]")
    drawn = chart.evaluate(BAR_SHAPES)
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert slider.input_value() != start_value, "arrow keys did not move the slider"
    until(
        page,
        BARS_CHANGED,
        "moving the slider with the keyboard did not change the bars",
        [chart.element_handle(), drawn],
    )
    assert shape() != start_shape
    drawn = chart.evaluate(BAR_SHAPES)
    _tab_to(page, "input[radio]")
    page.keyboard.press("ArrowDown")
    until(
        page,
        BARS_CHANGED,
        "arrow keys on the scenario radio buttons did not switch scenario",
        [chart.element_handle(), drawn],
    )
    # the chart's save menu opens from the keyboard too
    _tab_to(page, "summary", "Save the chart")
    page.keyboard.press("Enter")
    until(
        page,
        "c => c.querySelectorAll('details[open]').length === 1",
        "Enter did not open the save menu",
        chart.element_handle(),
    )
    page.close()


# --- valid HTML ----------------------------------------------------------------------

# Errors the Nu checker reports in markup that third-party templates write, with the reason
# they stay (also listed in the README). Anything else fails the test.
THIRD_PARTY_HTML = {
    "Element “p” not allowed as child of element “summary”": "myst-nb's hide-output toggle puts its two labels in <p> elements inside <summary>",
}


@pytest.fixture(scope="module")
def vnu_messages(html, tools):
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is needed for the Nu HTML Checker (apt-get install default-jre-headless)")
    # one run (the JVM starts once), with a probe that must fail so a checker that finds nothing is noticed
    probe = html.parent / "vnu-probe.html"
    probe.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p id="a"></p><p id="a"></p></body></html>'
    )
    files = [str(html / p) for p in PAGES] + [str(probe)]
    # a short run: the JVM's quick compiler only, one garbage-collecting thread, and the deeper stack the
    # checker's schema then needs (the same messages, for 3.7 s of processor time instead of 5.6 s)
    jvm = ["-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    proc = subprocess.run(
        [java, *jvm, "-jar", str(tools / "vnu.jar"), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(proc.stderr)["messages"]


def _about(message: dict, path: Path) -> bool:
    """Whether a Nu checker message is about this file (it writes file:/a/b, not file:///a/b)."""
    return message.get("url", "").removeprefix("file:").lstrip("/") == str(path.resolve()).lstrip("/")


@pytest.mark.parametrize("page", PAGES)
def test_no_html_errors_in_the_books_own_markup(vnu_messages, html, page):
    errors = [
        f"line {m.get('lastLine')}: {m['message']}"
        for m in vnu_messages
        if _about(m, html / page) and not any(known in m["message"] for known in THIRD_PARTY_HTML)
    ]
    assert not errors, "\n".join(errors[:20])


def test_html_check_catches_an_error(vnu_messages, html):
    assert any(_about(m, html.parent / "vnu-probe.html") and "Duplicate ID" in m["message"] for m in vnu_messages)
    # the allowed third-party error is really found on some page (so the page filter matches the book's files)
    assert any(_about(m, html / page) for page in PAGES for m in vnu_messages)


def test_every_page_has_a_description_favicon_and_title(html):
    for page in PAGES:
        text = (html / page).read_text()
        assert text.lstrip().lower().startswith("<!doctype html>"), page
        assert re.search(r"<title>[^<]{5,}</title>", text), page
        assert re.search(r'<meta name="description" content="[^"]{40,}"', text), page
        assert re.search(r'<link rel="(shortcut )?icon" href="[^"]*favicon\.svg"', text), page
    assert (html / "_static" / "favicon.svg").is_file()
