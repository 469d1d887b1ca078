"""The PDF edition has every chapter's title, every numbered figure and no empty page; every chart and map is
drawn (the maps with their basemap), and nothing is cut at the margin."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from oilroutes import pdf
from oilroutes.paths import repo_root

ROOT = repo_root()
HTML = ROOT / "_build" / "html"
pytestmark = pytest.mark.book


def _articles() -> list[str]:
    out = []
    for doc in pdf.pages(ROOT):
        page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        out.append(page[page.index('<article class="bd-article">') :])
    return out


def _titles() -> list[str]:
    out = []
    for article in _articles():
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S).group(1)
        out.append(" ".join(re.sub(r"<[^>]+>|#", "", h1).split()))
    return out


@pytest.fixture(scope="module")
def printed(built_book, browser):
    # make test installs poppler-utils beside chromium; a missing tool is a failure, not a skip
    assert shutil.which("pdftotext"), "pdftotext is not installed (Debian: poppler-utils; make test installs it)"
    # the session's browser: Playwright's sync API runs one per process
    return pdf.render(ROOT, browser=browser)  # raises if a chart is not drawn or a map has no basemap


@pytest.fixture(scope="module")
def book_pdf(printed):
    return printed.pdf


def _text(path, *pages) -> str:
    args = ["pdftotext", "-layout", *(["-f", str(pages[0]), "-l", str(pages[0])] if pages else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_pdf_has_every_title_and_every_figure(book_pdf):
    text = " ".join(_text(book_pdf).split())
    for title in _titles():
        assert title in text, f"chapter title {title!r} missing from the PDF"
    captions = set()
    for doc in pdf.pages(ROOT):
        page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        captions |= set(re.findall(r"<strong>(Figure [\d.]+)</strong>", page))
    assert len(captions) >= 15
    for cap in captions:
        assert cap in text, f"{cap} missing from the PDF"
    assert "file://" not in text and "127.0.0.1" not in text, "a local address is printed in the PDF"
    assert "Click to" not in text, "a button's hint (Click to show, Click to hide) is printed in the PDF"


def test_every_chart_and_every_map_is_drawn_with_its_layers(printed):
    """render() waits for each chart's drawing and each map's basemap (the layer that comes last, from
    the book's own host) and fails naming what is missing; here the counts must be the book's."""
    articles = "".join(_articles())
    assert printed.charts == articles.count('class="oilroutes-chart"') >= 14
    assert printed.maps == len(re.findall(r"<iframe\b[^>]*\bsrcdoc=", articles)) >= 4


def test_no_figure_or_table_is_cut_at_the_margin(printed):
    """In Chromium's print layout, at the printed column's width: no chart, map, table, image or output
    reaches past the column, and no box clips its content (a chart drawn for a wider screen did).
    The layout is the place to look: Chromium clips at the page's margin whatever reaches past it, so
    the printed pages never show ink in the margin, only a figure that stops short."""
    assert not printed.cut, "cut at the margin:\n" + "\n".join(printed.cut)


def test_pdf_has_no_empty_pages(book_pdf):
    info = subprocess.run(["pdfinfo", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    listing = subprocess.run(["pdfimages", "-list", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    with_images = {int(line.split()[0]) for line in listing.splitlines()[2:] if line.split()}
    for p in range(1, n + 1):
        body = [
            line
            for line in _text(book_pdf, p).splitlines()
            if line.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", line)
        ]
        assert body or p in with_images, f"page {p} of {n} is empty"
    assert re.search(rf"^\s*1 / {n}\s*$", _text(book_pdf, 1), re.M), "no page number in the footer"
