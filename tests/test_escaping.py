"""Text from the data is shown as text, never run as script, in every table, chart, map and data card.

A private copy of the data gets script payloads in the free-text fields that
reach the page: a claim, an event's title, what happened and its asset, a
site's name and note, a shareholder, the descriptor's description and, through
the bibliography, a ``javascript:`` address. The builders' HTML is put into one
page and opened in Chromium. No payload may run (``window.__pwned`` stays unset
in the page and in every map frame, no dialog opens), the payload must show as
plain text, and every chart and map must still draw.
"""

import csv
import functools
import http.server
import json
import socketserver
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = "<script>window.__pwned='script';alert(1)</script>"
IMG = "<img src=x onerror=\"window.__pwned='img';alert(2)\">"
CLOSE = "</script><script>window.__pwned='close';alert(3)</script>"
TEMPLATE = "`${window.__pwned='template'}`"
JS_URL = "javascript:window.__pwned='link';alert(4)"


def _edit(path: Path, row: int, **cells):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    for column, value in cells.items():
        rows[row][rows[0].index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


@pytest.fixture
def hostile_data(data_copy):
    _edit(data_copy / "article_claims.csv", 1, claim="Claim " + SCRIPT + IMG)
    _edit(data_copy / "cpc_events.csv", 1, title="Storm " + CLOSE, what_happened=IMG + TEMPLATE, asset="SPM " + SCRIPT)
    _edit(data_copy / "sites.csv", 1, name="Field " + IMG + TEMPLATE, note=CLOSE)
    _edit(data_copy / "cpc_shareholders.csv", 1, shareholder="Holder " + CLOSE)
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["description"] = "Sites " + IMG + SCRIPT
    descriptor["resources"][0]["title"] = "Sites " + CLOSE
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8")
    return data_copy


def _page(monkeypatch, tmp_path) -> Path:
    """Every affected builder's HTML in one page, served as the book serves it (vendored JS, no network)."""
    from markdown_it import MarkdownIt

    from oilroutes import appendix, bib, charts, data, losses, maps, render, tables
    from oilroutes.vendor import ensure_vendor

    monkeypatch.setenv("OILROUTES_ASSETS", "local")
    render.enable()
    # the bibliography's first entry links to a javascript: address (as if it had slipped past validation)
    refs = {k: dict(v) for k, v in bib.references().items()}
    first = sorted(refs)[0]
    refs[first].update(url=JS_URL, title="Title " + IMG)
    monkeypatch.setattr(appendix, "references", lambda: refs)

    events, legs, sites = data.load("cpc_events"), data.load_legs(), data.load_sites()
    estimate = losses.event_losses()
    parts = [
        tables.claims_list(data.load("article_claims")).to_html(),
        tables.events_table(events).to_html(),
        render._renderer(
            charts.disruption_timeline_chart(
                estimate, events, data.load("cpc_throughput"), data.load("political_context")
            ).to_dict()
        )["text/html"],
        render._renderer(charts.ownership_chart(data.load("cpc_shareholders")).to_dict())["text/html"],
        maps.route_map(legs, sites)._repr_html_(),
        maps.cpc_map(legs, sites, events, data.load("cpc_moorings"))._repr_html_(),
        # a data card: Markdown with its fields and sources (and the javascript: address) in a raw HTML block;
        # MyST renders raw HTML in Markdown, so the test's renderer does too
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .render(appendix.card(appendix.load_descriptor()["resources"][0])),
        "; ".join(appendix._h_link(refs[k]["title"], refs[k]["url"]) for k in sorted(refs)[:2]),
    ]
    site = tmp_path / "site"
    (site / "chapters").mkdir(parents=True)
    (site / "_static").mkdir()
    (site / "_static" / "vendor").symlink_to(ensure_vendor(ROOT, quiet=True))
    page = site / "chapters" / "hostile.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'></head><body><main style='max-width:700px'>"
        + "\n".join(parts)
        + "</main></body></html>",
        encoding="utf-8",
    )
    return site


def test_payloads_in_the_data_show_as_text_and_never_run(hostile_data, monkeypatch, tmp_path, browser):
    site = _page(monkeypatch, tmp_path)
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 1024, "height": 900})
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1", "data:", "about:")) else r.abort(),
        )
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/chapters/hostile.html", wait_until="networkidle")
        page.wait_for_timeout(1500)
        # open every tooltip and popup on the maps, so the payloads in them are put into the page too
        opened = sum(
            frame.evaluate("""() => {
            let n = 0;
            for (const k of Object.keys(window)) {
                const v = window[k];
                if (!v || typeof v.getTooltip !== "function") continue;
                const at = v.getLatLng ? v.getLatLng() : (v.getBounds ? v.getBounds().getCenter() : null);
                if (v.getTooltip()) { v.openTooltip(at); n++; }
                if (v.getPopup && v.getPopup()) { v.openPopup(at); n++; }
            }
            return n;
        }""")
            for frame in page.frames[1:]
        )
        assert opened > 40
        page.wait_for_timeout(300)
        for link in page.locator("a").all():
            href = link.get_attribute("href") or ""
            assert not href.strip().lower().startswith("javascript:"), f"a javascript: link was rendered: {href}"
        flags = [f.evaluate("() => window.__pwned || null") for f in page.frames]
        assert flags == [None] * len(flags), f"a payload ran: {flags}"
        assert not dialogs, f"a payload opened a dialog: {dialogs}"
        assert not errors, f"the page broke: {errors}"
        # the payloads are on the page as text
        text = page.locator("main").inner_text()
        assert "<script>window.__pwned='script'" in text  # the claim, in the table
        assert "</script><script>window.__pwned='close'" in text  # the event's title, in the events table
        assert "<img src=x onerror=" in text  # the data card's description
        # every chart and map still draws
        charts = page.locator(".oilroutes-chart")
        assert charts.count() == 2
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg .mark-rect path, svg .mark-symbol path").count() > 0, (
                f"chart {i} did not draw"
            )
        frames = [f for f in page.frames[1:] if f.evaluate("() => !!window.L")]
        assert len(frames) == 2
        for f in frames:
            assert f.locator("path.oilroutes-site").count() > 0 and f.locator("path.oilroutes-leg").count() > 0
        # the timeline's y axis carries the hostile title as a label, intact
        assert page.locator(".oilroutes-chart").first.locator("text", has_text="Storm").count() > 0
        page.close()
    finally:
        httpd.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
