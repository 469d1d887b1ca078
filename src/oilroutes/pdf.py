"""The PDF edition: every page of the built book, in table-of-contents order, printed by Chromium.

:func:`print_page` joins the article of each built page into one HTML file,
``_build/print/book.html``, that loads the book's own styles and scripts (through a ``<base>``
pointing at the built pages) and adds print rules: no navigation, code cells, chart menus, toggle buttons, map
controls or reuse links; each chapter on a new page; figures and tables kept whole.

:func:`render` serves ``_build`` on a local port (the maps fetch their basemap, which a browser
refuses to do from a ``file://`` page) and opens the joined page in headless Chromium, through
Playwright, in print media with the window exactly as wide as the printed column. So every chart
sizes itself to the width it is printed at, and every map draws the same layers as on the web:
the Natural Earth basemap, routes and sites. It waits until each chart is drawn and each map's
basemap is in, checks that no figure, table or frame reaches past the column or is clipped inside
it (:data:`LAYOUT_CHECK`), and prints ``_build/html/book.pdf`` (A4, page numbers in the footer).
:func:`build_pdf`, which ``make pdf`` runs after ``make book``, fails if anything would be cut.
"""

from __future__ import annotations

import re
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import pagemetrics, style
from .paths import repo_root

PAGE_MM = (210, 297)  # A4
MARGIN_MM = {"top": 16, "right": 14, "bottom": 18, "left": 14}
COLUMN_MM = PAGE_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"]
COLUMN_PX = round(COLUMN_MM / 25.4 * 96)  # CSS pixels, as Chromium lays out the printed page

PRINT_CSS = f"""
<style>
@page {{ size: A4; margin: {MARGIN_MM["top"]}mm {MARGIN_MM["right"]}mm {MARGIN_MM["bottom"]}mm {MARGIN_MM["left"]}mm; }}
@media print, screen {{
  .bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .prev-next-area,
  .bd-footer, .bd-footer-content, footer, .oilroutes-reuse, .oilroutes-editions, .cell_input,
  .headerlink, #jb-print-docs-body, .toctree-wrapper, .search-button-field, .theme-switch-button, .dropdown-toggle,
  .vega-embed > details, .vega-actions, .toggle-button
    {{ display: none !important; }}
  /* the printed column is the page's: no theme padding or margin around the article */
  html, body, .bd-main, .bd-content, .bd-article-container, .bd-article
    {{ margin: 0 !important; padding: 0 !important; max-width: 100% !important; width: 100% !important; }}
  .bd-article h1 {{ display: block !important; visibility: visible !important; }}
  .oilroutes-print-chapter {{ break-before: page; }}
  /* one break per chapter: the wrapper's; a second one from a heading would leave a blank page */
  .oilroutes-print-chapter section, .oilroutes-print-chapter h1 {{ break-before: auto !important; page-break-before: auto !important; }}
  .oilroutes-print-chapter:first-child {{ break-before: auto; }}
  figure, iframe, .oilroutes-chart, table, .cell_output {{ break-inside: avoid; max-width: 100% !important; }}
  /* a chart is drawn to the column's width; if one is still wider it shrinks, it is never clipped
     (a scroll box on paper shows its first screenful and a scroll bar) */
  .oilroutes-chart, .vega-embed, .cell_output .output.text_html {{ overflow: visible !important; padding-right: 0 !important; }}
  .oilroutes-chart svg, .cell_output img {{ max-width: 100% !important; height: auto !important; }}
  pre {{ white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important; }}
  .cell_output table {{ font-size: 9pt; }}
  table {{ max-width: 100% !important; }}
  td, th {{ overflow-wrap: break-word; }}
  details > * {{ display: block; }}
  a {{ color: inherit; text-decoration: none; }}
}}
</style>
"""
# Inside each map's frame: the zoom buttons and the layer switch do nothing on paper.
MAP_PRINT_CSS = ".leaflet-control-zoom, .leaflet-control-layers { display: none !important; }"
FOOTER = (
    f'<div style="font: 8px {style.FONT}; color: {style.LIGHT["subtle"]}; width: 100%; text-align: center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
ARTICLE = re.compile(r'<article class="bd-article">(.*?)</article>', re.S)
HEAD = re.compile(r"<head>(.*?)</head>", re.S)
# A chart's element id is unique in its page, not across the book (it follows the chapter's run), and its
# script finds it by id: in the joined page each chapter's chart ids get the chapter's number.
CHART_ID = re.compile(r"\bvis-([0-9a-f]{10})\b")

# Every chart has its drawing, and every map frame its basemap (the last layer to arrive).
READY = """() => {
  const charts = [...document.querySelectorAll('.oilroutes-chart')];
  return {charts: charts.length, drawn: charts.filter(c => c.querySelector('svg, canvas')).map(c => c.id),
          missing: charts.filter(c => !c.querySelector('svg, canvas')).map(c => c.id),
          widths: charts.map(c => { const s = c.querySelector('svg'); return s ? s.getBoundingClientRect().width : 0; })};
}"""
MAP_READY = "() => document.querySelectorAll('.leaflet-basemap-pane path').length"

# What would be cut on paper: a figure, table, frame or image that reaches past the printed column,
# or a box that clips its content (its scroll width exceeds its width). Each is named by its chapter
# and the next figure or table caption after it.
LAYOUT_CHECK = r"""() => {
  const col = document.querySelector('article.bd-article').getBoundingClientRect();
  const where = el => {
    const ch = el.closest('.oilroutes-print-chapter'), h1 = ch && ch.querySelector('h1');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
    walker.currentNode = el;
    let caption = '';
    for (let n = walker.nextNode(), i = 0; n && i < 4000; n = walker.nextNode(), i++) {
      if (n.tagName === 'STRONG' && /^(Figure|Table) [\d.]+/.test(n.textContent.trim())) { caption = n.textContent.trim(); break; }
    }
    return (h1 ? h1.textContent.replace('#', '').trim() : '?') + (caption ? ', before ' + caption : '');
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '');
  const out = [];
  const boxes = 'figure, table, iframe, img, svg, canvas, .oilroutes-chart, .cell_output, .math, mjx-container';
  for (const el of document.querySelectorAll('article.bd-article :is(' + boxes + ')')) {
    if (el.parentElement.closest('svg')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.left < col.left - 1 || r.right > col.right + 1)
      out.push(`${where(el)}: ${name(el)} spans ${Math.round(r.left - col.left)} to ${Math.round(r.right - col.left)} px of a ${Math.round(col.width)} px column`);
  }
  for (const el of document.querySelectorAll('article.bd-article *')) {
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).overflowX !== 'visible')
      out.push(`${where(el)}: ${name(el)} clips ${el.scrollWidth - el.clientWidth} px of its content`);
  }
  return out;
}"""


class PrintLayoutError(RuntimeError):
    """Something in the book would be cut at the printed page's margin."""


@dataclass
class Printed:
    pdf: Path
    cut: list[str] = field(default_factory=list)  # what would be cut at the margin (empty when all fits)
    charts: int = 0
    maps: int = 0


def pages(root: Path | None = None) -> list[str]:
    """The book's documents in table-of-contents order."""
    toc = yaml.safe_load(((root or repo_root()) / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for c in toc.get("chapters", [])]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


def print_page(root: Path | None = None) -> Path:
    """Write ``_build/print/book.html``: every page's article, in order, with print rules.

    Its addresses are relative to ``_build`` (the ``<base>`` is ``../html/chapters/``), so the page
    works served from ``_build`` by :func:`render`.
    """
    root = root or repo_root()
    html_dir = root / "_build" / "html"
    out = root / "_build" / "print" / "book.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    first = (html_dir / f"{pages(root)[0]}.html").read_text(encoding="utf-8")
    head = HEAD.search(first).group(1)
    head = re.sub(r"<title>.*?</title>", "<title>Kazakhstan's Oil and the Russian Pipe</title>", head, flags=re.S)
    parts = []
    for i, doc in enumerate(pages(root)):
        page = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
        m = ARTICLE.search(page)
        if m:
            article = CHART_ID.sub(rf"vis-{i}-\1", m.group(1))
            parts.append(f'<div class="oilroutes-print-chapter">{article}</div>')
    body = "\n".join(parts)
    out.write_text(
        f'<!DOCTYPE html>\n<html lang="en" data-theme="light"><head><base href="../html/chapters/">{head}{PRINT_CSS}'
        f'</head><body><div class="bd-main"><div class="bd-content"><div class="bd-article-container">'
        f'<article class="bd-article">{body}</article></div></div></div></body></html>\n',
        encoding="utf-8",
    )
    return out


def _wait(page, timeout_s: float) -> dict:
    """Poll until every chart is drawn at a steady width and every map has its basemap; report what is missing."""
    deadline, last, state = timeout_s * 1000, None, {}
    waited = 0
    while waited < deadline:
        state = page.evaluate(READY)
        frames = [f for f in page.frames if f.url == "about:srcdoc"]
        state["maps"] = len(frames)
        state["maps_missing"] = [i for i, f in enumerate(frames) if not f.evaluate(MAP_READY)]
        steady = state["widths"] == last
        if not state["missing"] and not state["maps_missing"] and steady:
            return state
        last = state["widths"]
        page.wait_for_timeout(400)
        waited += 400
    raise PrintLayoutError(
        f"not drawn after {timeout_s:.0f} s: charts {state.get('missing')}, map frames {state.get('maps_missing')} "
        "(without their basemap)"
    )


@contextmanager
def _chromium(browser=None):
    """The given Playwright browser (one process may run only one), or Debian's Chromium, launched here."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        own = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield own
        finally:
            own.close()


def render(root: Path | None = None, timeout_s: float = 120, browser=None) -> Printed:
    """Print the joined page to ``_build/html/book.pdf``; return it with what would be cut at the margin.

    ``browser``: a Playwright browser to print with (the tests pass theirs); by default Chromium is launched.
    """
    root = root or repo_root()
    source = print_page(root)
    target = root / "_build" / "html" / "book.pdf"
    with pagemetrics.serve(root / "_build") as origin, _chromium(browser) as chromium:
        page = chromium.new_page(viewport={"width": COLUMN_PX, "height": 1000})
        try:
            # nothing but the book itself: a page that reaches for the network would print differently offline
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin) else r.abort())
            page.emulate_media(media="print")  # charts size themselves in the printed layout, not the screen's
            page.goto(f"{origin}/{source.relative_to(root / '_build').as_posix()}", wait_until="load")
            state = _wait(page, timeout_s)
            for frame in page.frames:
                if frame.url == "about:srcdoc":
                    frame.add_style_tag(content=MAP_PRINT_CSS)
            column = page.evaluate("() => document.querySelector('article.bd-article').getBoundingClientRect().width")
            if abs(column - COLUMN_PX) > 1:  # the check below is only true at the printed column's width
                raise PrintLayoutError(f"the article is {column:.0f} px wide, the printed column {COLUMN_PX} px")
            cut = page.evaluate(LAYOUT_CHECK)
            page.pdf(
                path=str(target),
                prefer_css_page_size=True,
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
            )
        finally:
            page.close()
    return Printed(target, cut, state["charts"], state["maps"])


def build_pdf(root: Path | None = None) -> Path:
    """Print the book to ``_build/html/book.pdf``; fail, after writing it, if anything is cut at the margin."""
    printed = render(root)
    if printed.cut:
        raise PrintLayoutError(
            f"{len(printed.cut)} figure(s) or table(s) cut at the margin of {printed.pdf}:\n  - "
            + "\n  - ".join(printed.cut)
        )
    return printed.pdf


if __name__ == "__main__":  # pragma: no cover
    print(build_pdf())
    sys.exit(0)
