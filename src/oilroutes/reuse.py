"""Reuse on every figure and page: the data drawn as CSV, a citation, a permanent link, and a footer.

After the HTML build, :func:`add_figure_reuse` reads each chapter page, finds every chart (the
Vega-Lite spec the page embeds, whose ``datasets`` are exactly the rows drawn) and every map (the
markers and lines the folium page draws, with their tooltips), writes those rows to
``_build/html/figures/<figure>.csv`` with each row's source resolved in ``references.bib``, and
puts under the figure's caption a download link, a "Cite this figure" text and a permanent link
(an anchor on the figure). It reads and writes only the built HTML, so chapters call nothing.

As a Sphinx extension (listed in ``_config.yml``), :func:`setup` adds a footer to every page:
licence, version, build date and how to cite.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import os
import re
from pathlib import Path

from .paths import repo_root

TITLE = "Kazakhstan's Oil and the Russian Pipe"
AUTHORS = "The contributors to Kazakhstan's Oil and the Russian Pipe"
MARK = 'class="oilroutes-reuse"'
CHART = re.compile(r'<div id="[^"]+" class="oilroutes-chart"[^>]*>.*?var spec = (\{.*?\});\n\s*var urls', re.S)
IFRAME = re.compile(r"<iframe\b([^>]*)>", re.S)
CAPTION = re.compile(r"<p><strong>(Figure [\w.]+)\.?</strong>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as v

    try:
        return v("oilroutes")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.1.0"


def build_date() -> str:
    """Today (UTC), or the date given by SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


def book_url(root: Path | None = None) -> str:
    """Where the book is read: see :func:`oilroutes.repository.published_url`."""
    from .repository import published_url

    return published_url(root)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


# -- the rows each figure draws ------------------------------------------------------------------


def chart_rows(spec: dict) -> list[dict]:
    """Every row of every dataset a Vega-Lite spec draws (a ``layer`` column when there are several)."""
    datasets = spec.get("datasets") or {}
    rows = []
    for i, (_name, data) in enumerate(datasets.items(), start=1):
        for row in data:
            rows.append(({"layer": i} if len(datasets) > 1 else {}) | row)
    return rows


_DRAW = re.compile(r"var (\w+) = L\.(circleMarker|polyline)\(\s*(\[.*?\]),\s*(\{.*?\})\s*\)\.addTo", re.S)
_TOOLTIP = re.compile(r'(\w+)\.bindTooltip\(\s*"((?:[^"\\]|\\.)*)"', re.S)
_CELL = re.compile(r"<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>", re.S)


def map_rows(page: str) -> list[dict]:
    """Every marker and line a folium map draws, with its coordinates and its tooltip's fields."""
    tips = {}
    for var, raw in _TOOLTIP.findall(page):
        text = json.loads('"' + raw.replace("\\'", "'") + '"')
        title = re.search(r"<b>(.*?)</b>", text, re.S)
        fields = {_text(k): _text(v) for k, v in _CELL.findall(text)}
        tips[var] = ({"name": _text(title.group(1))} if title else {}) | fields
    rows = []
    for var, kind, coords, opts in _DRAW.findall(page):
        classes = (re.search(r'"className": "([^"]*)"', opts) or [None, ""])[1].split()
        ident = next((c.split("-", 1)[1] for c in classes if c.count("-") and not c.startswith("oilroutes")), "")
        points = json.loads(coords)
        if kind == "circleMarker":
            where = {"lat": points[0], "lon": points[1], "points": ""}
        else:
            where = {"lat": "", "lon": "", "points": ";".join(f"{p[0]} {p[1]}" for p in points)}
        layer = next((c.split("-", 1)[1] for c in classes if c.startswith("oilroutes-")), kind)
        rows.append({"layer": layer, "id": ident} | where | tips.get(var, {}))
    return [r for r in rows if len(r) > 5 or r["id"]]


def with_sources(rows: list[dict]) -> list[dict]:
    """Each row with ``source_reference``: its source keys resolved in references.bib (title, publisher, year, URL)."""
    from .bib import references, split_keys

    refs = references()

    def cite(keys) -> str:
        out = []
        for k in split_keys(str(keys)) if keys else []:
            e = refs.get(k)
            if e is None:
                continue
            who = e.get("author") or e.get("organization") or e.get("publisher") or ""
            parts = [who, e.get("title", ""), e.get("year", ""), e.get("url", "")]
            out.append(f"[{k}] " + ". ".join(str(p).strip("{} ") for p in parts if p))
        return " | ".join(out)

    keys = [c for c in ("source", "total_source", "Source") if any(c in r for r in rows)]
    return [r | {"source_reference": " | ".join(x for x in (cite(r.get(k)) for k in keys) if x)} for r in rows]


def derived_sources(rows: list[dict], caption_html: str, page: str) -> list[dict]:
    """Rows the book computed (a share, a model run) carry no source key: say so, and name the caption's citations."""
    cited = [_text(a) for a in re.findall(r'<a [^>]*href="[^"]*bibliography[^"]*"[^>]*>(.*?)</a>', caption_html, re.S)]
    note = f"Computed by the book ({page}) from its data package (data/datapackage.json); " + (
        f"sources: {'; '.join(cited)}" if cited else "sources: the chapter's Sources section"
    )
    return [r if r.get("source_reference") else r | {"source_reference": note} for r in rows]


def write_csv(rows: list[dict], path: Path) -> None:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in r.items()})


# -- the links under each figure --------------------------------------------------------------------


def cite_text(figure: str, caption: str, page_url: str, anchor: str) -> str:
    first = caption.split(". ")[0].rstrip(".")
    return (
        f"{AUTHORS} ({build_date()[:4]}). {figure}: {first}. In <em>{html.escape(TITLE)}</em>, "
        f"version {version()}. {html.escape(page_url)}#{anchor}"
    )


def reuse_block(figure: str, caption: str, csv_href: str, page_url: str, anchor: str) -> str:
    return (
        f'<div {MARK}><a href="{csv_href}" download>Download the data (CSV)</a> · '
        f'<a href="#{anchor}">Permanent link to {figure.lower()}</a>'
        f"<details><summary>Cite this figure</summary><p>{cite_text(figure, caption, page_url, anchor)}. "
        f"Cite also the original publishers, listed in the CSV's source_reference column.</p></details></div>"
    )


def _figures(page: str):
    """(start, end, rows) of every chart and map on a page, in order."""
    found = [(m.start(), m.end(), chart_rows(json.loads(m.group(1)))) for m in CHART.finditer(page)]
    for m in IFRAME.finditer(page):
        doc = re.search(r'srcdoc="([^"]*)"', m.group(1))
        if doc:
            found.append((m.start(), m.end(), map_rows(html.unescape(doc.group(1)))))
    return sorted(found, key=lambda f: f[0])


def add_figure_reuse(root: Path | None = None) -> list[Path]:
    """Write each figure's CSV and link it, with a citation and permalink, under the figure's caption."""
    root = root or repo_root()
    out = root / "_build" / "html"
    base = book_url(root)
    written = []
    for page_path in sorted((out / "chapters").glob("0*.html")):
        page = page_path.read_text(encoding="utf-8")
        linked = MARK in page  # an unchanged page from an incremental build: refresh its CSVs only
        stem = page_path.stem
        edits = []  # (position, text) inserted from the end backwards
        figures = _figures(page)
        for k, (start, end, rows) in enumerate(figures):
            limit = figures[k + 1][0] if k + 1 < len(figures) else len(page)
            cap = CAPTION.search(page, end, limit)
            figure = cap.group(1) if cap else f"Figure {k + 1}"
            anchor = "figure-" + re.sub(r"\W+", "-", figure.split(" ", 1)[1]).strip("-").lower()
            target = out / "figures" / f"{stem}-{anchor}.csv"
            write_csv(derived_sources(with_sources(rows), cap.group(2) if cap else "", f"chapters/{stem}.html"), target)
            written.append(target)
            block = reuse_block(
                figure,
                _text(cap.group(2)) if cap else "",
                f"../figures/{target.name}",
                f"{base}/chapters/{stem}.html",
                anchor,
            )
            edits.append((start, f'<span id="{anchor}" class="oilroutes-anchor"></span>'))
            edits.append((cap.end() if cap else end, block))
        if linked:
            continue
        for pos, text in sorted(edits, key=lambda e: e[0], reverse=True):
            page = page[:pos] + text + page[pos:]
        page_path.write_text(page, encoding="utf-8")
    return written


# -- the footer (a Sphinx extension) ---------------------------------------------------------------------


def footer_html(root: Path | None = None) -> str:
    return (
        f'<p class="oilroutes-footer">Code: <a href="https://opensource.org/license/mit">MIT</a>. '
        f'Text and data: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. '
        f"Version {version()}, built {build_date()}. "
        f"Cite as: {AUTHORS} ({build_date()[:4]}). <em>{html.escape(TITLE)}</em>, version {version()}. "
        f"{html.escape(book_url(root))} (metadata in CITATION.cff).</p>"
    )


def _footer(app, config):
    opts = dict(config.html_theme_options or {})
    opts["extra_footer"] = (opts.get("extra_footer") or "") + footer_html(Path(app.srcdir))
    config.html_theme_options = opts


def setup(app):
    app.connect("config-inited", _footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
