"""What each built page costs a reader: bytes after gzip, requests, and time until its figures are drawn.

Each page of ``_build/html`` is opened in headless Chromium (Debian's package,
through Playwright) from a local server. Every response is counted as a
static host would serve it: text (HTML, CSS, JavaScript, JSON, SVG) gzipped at
level 6, everything else (images, fonts) as stored. Requests to any other
origin are counted and blocked, so a page that would leak its readers'
addresses is visible offline too.

"Figures ready" is the time from navigation until every map has drawn its
basemap and its features and every chart has drawn its marks.

``make bench`` reports these numbers; the web tests check the weight budgets.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import shutil
import socketserver
import threading
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEXT_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
    "application/xml",
    "application/x-javascript",
)
# Budgets from the book's design, in bytes after gzip.
BUDGET_TEXT_PAGE = 300 * 1000
BUDGET_FIGURE_PAGE = 700 * 1000

# True once every map frame shows its basemap and features and every chart its marks.
FIGURES_READY_JS = """() => {
  const frames = Array.from(document.querySelectorAll('iframe'));
  for (const f of frames) {
    const d = f.contentDocument;
    if (!d || !d.querySelector('.leaflet-container')) return false;
    if (!d.querySelector('.leaflet-basemap-pane path')) return false;
    if (!d.querySelector('path.oilroutes-leg, path.oilroutes-site')) return false;
  }
  for (const c of document.querySelectorAll('.oilroutes-chart')) {
    if (!c.querySelector('svg .mark-rect path, svg .mark-line path, svg .mark-symbol path, svg .mark-area path, svg .mark-text text')) return false;
  }
  return true;
}"""

# Polls from the first script on; records performance.now() when the figures are ready.
_READY_PROBE = (
    "(() => { const ready = %s;" % FIGURES_READY_JS
    + """
  const tick = () => {
    if (window.top !== window) return;
    try { if (document.readyState !== 'loading' && ready()) { window.__figuresReadyMs = performance.now(); return; } } catch (e) {}
    setTimeout(tick, 10);
  };
  tick();
})();"""
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path):
    """Serve a folder on 127.0.0.1 on a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class PageMetrics:
    page: str
    gzip_bytes: int = 0
    raw_bytes: int = 0
    requests: int = 0
    outside: list[str] = field(default_factory=list)
    figures: int = 0
    figures_ready_ms: float | None = None
    by_url: dict[str, int] = field(default_factory=dict)
    extra: object = None

    @property
    def budget(self) -> int:
        return BUDGET_FIGURE_PAGE if self.figures else BUDGET_TEXT_PAGE


def served_size(body: bytes, content_type: str) -> int:
    """Bytes on the wire from a static host that gzips text."""
    if content_type.split(";")[0].strip().startswith(TEXT_TYPES) or content_type.endswith(("+json", "+xml")):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


def measure_page(
    browser, base: str, page_name: str, width: int = 1280, settle_ms: int = 1500, after=None
) -> PageMetrics:
    """Open one page with an empty cache and count everything it loads.

    ``after(page)``, if given, runs once the figures are drawn (the web tests run
    axe-core there); its result is kept in ``PageMetrics.extra``.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    m = PageMetrics(page_name)
    responses = []

    def route(r):
        url = r.request.url
        if url.startswith(base) or url.startswith(("data:", "about:", "blob:")):
            r.continue_()
        else:
            m.outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: responses.append(resp))
    page.add_init_script(_READY_PROBE)
    with urllib.request.urlopen(f"{base}/{page_name}") as resp:  # outside the browser: not counted
        refresh = re.search(
            r'http-equiv="refresh" content="0; url=([^"]+)"', resp.read().decode("utf8", "replace"), re.I
        )
    page.goto(f"{base}/{page_name}", wait_until="load")
    if refresh:  # a redirecting page (index.html): the reader lands on its target
        page.wait_for_url(re.compile(re.escape(refresh.group(1)) + "$"))
        page.wait_for_load_state("load")
    try:
        page.wait_for_function("() => window.__figuresReadyMs !== undefined", timeout=15000)
        m.figures_ready_ms = page.evaluate("window.__figuresReadyMs")
    except Exception:  # figures never ready: reported as None
        m.figures_ready_ms = None
    if after is not None:
        m.extra = after(page)
    page.wait_for_timeout(settle_ms)  # late requests (lazy scripts, fonts) still count
    m.figures = page.evaluate(
        "document.querySelectorAll('iframe').length + document.querySelectorAll('.oilroutes-chart').length"
    )
    for resp in responses:
        url = resp.url
        if not url.startswith(base):
            continue
        try:
            body = resp.body()
        except Exception:
            continue
        size = served_size(body, resp.headers.get("content-type", ""))
        m.requests += 1
        m.gzip_bytes += size
        m.raw_bytes += len(body)
        key = url[len(base) :].split("?")[0]
        m.by_url[key] = m.by_url.get(key, 0) + size
    m.requests += len(m.outside)
    context.close()
    return m


def pages_of(html: Path) -> list[str]:
    """Every HTML page of the built book, relative to its root (search and genindex included)."""
    return sorted(
        str(p.relative_to(html)) for p in html.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
    )


def measure_book(html: Path, pages: list[str] | None = None) -> list[PageMetrics]:
    from playwright.sync_api import sync_playwright

    pages = pages or pages_of(html)
    with serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return [measure_page(browser, base, name) for name in pages]
        finally:
            browser.close()


def table(metrics: list[PageMetrics]) -> str:
    out = [
        "| page | gzip KB | raw KB | requests | outside origin | figures | figures ready ms | budget KB | within |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in metrics:
        ready = "-" if not m.figures else ("never" if m.figures_ready_ms is None else f"{m.figures_ready_ms:,.0f}")
        ok = "yes" if m.gzip_bytes <= m.budget and not m.outside else "NO"
        out.append(
            f"| {m.page} | {m.gzip_bytes / 1000:,.0f} | {m.raw_bytes / 1000:,.0f} | {m.requests} | {len(m.outside)} "
            f"| {m.figures} | {ready} | {m.budget // 1000} | {ok} |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    from .vendor import repo_root

    html = repo_root() / "_build" / "html"
    print(table(measure_book(html, sys.argv[1:] or None)))
