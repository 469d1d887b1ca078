"""The PDF edition has every chapter's title, every numbered figure and no empty page."""

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


def _titles() -> list[str]:
    out = []
    for doc in pdf.pages(ROOT):
        page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        h1 = re.search(r'<article class="bd-article">.*?<h1[^>]*>(.*?)</h1>', page, re.S).group(1)
        out.append(" ".join(re.sub(r"<[^>]+>|#", "", h1).split()))
    return out


@pytest.fixture(scope="module")
def book_pdf(built_book):
    # make test installs poppler-utils beside chromium; a missing tool is a failure, not a skip
    assert shutil.which("pdftotext"), "pdftotext is not installed (Debian: poppler-utils; make test installs it)"
    return pdf.build_pdf(ROOT)


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


def test_pdf_has_no_empty_pages(book_pdf):
    info = subprocess.run(["pdfinfo", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    listing = subprocess.run(["pdfimages", "-list", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    with_images = {int(line.split()[0]) for line in listing.splitlines()[2:] if line.split()}
    for p in range(1, n + 1):
        body = [
            line
            for line in _text(book_pdf, p).splitlines()
            if line.strip() and not re.search(r"file://|\d+/\d+\s*$|Kazakhstan's Oil and the Russian Pipe\s*$", line)
        ]
        assert body or p in with_images, f"page {p} of {n} is empty"
