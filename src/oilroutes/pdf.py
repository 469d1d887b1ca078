"""The PDF edition: every page of the built book, in table-of-contents order, printed by Chromium.

:func:`print_page` joins the article of each built page into one HTML file,
``_build/print/book.html``, that loads the book's own styles and scripts (through a ``<base>``
pointing at ``_build/html/chapters/``) and adds print rules: no navigation, code cells or reuse
links; each chapter on a new page; figures and tables kept whole and within the margins.
:func:`build_pdf` prints it with headless Chromium (charts draw before printing: the page is given
time to run its scripts) to ``_build/html/book.pdf``, with page numbers in the footer.

``make pdf`` runs it after ``make book``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .paths import repo_root

PRINT_CSS = """
<style>
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
@media print, screen {
  .bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .prev-next-area,
  .bd-footer, .bd-footer-content, footer, .oilroutes-reuse, .oilroutes-editions, .cell_input,
  .headerlink, #jb-print-docs-body, .toctree-wrapper, .search-button-field, .theme-switch-button, .dropdown-toggle
    { display: none !important; }
  .bd-main .bd-content .bd-article-container { max-width: 100% !important; }
  .bd-article h1 { display: block !important; visibility: visible !important; }
  .oilroutes-print-chapter { break-before: page; }
  /* one break per chapter: the wrapper's; a second one from a heading would leave a blank page */
  .oilroutes-print-chapter section, .oilroutes-print-chapter h1 { break-before: auto !important; page-break-before: auto !important; }
  .oilroutes-print-chapter:first-child { break-before: auto; }
  figure, iframe, .oilroutes-chart, table, .cell_output { break-inside: avoid; max-width: 100% !important; }
  .cell_output table { font-size: 9pt; }
  details > * { display: block; }
  a { color: inherit; text-decoration: none; }
}
</style>
"""
ARTICLE = re.compile(r'<article class="bd-article">(.*?)</article>', re.S)
HEAD = re.compile(r"<head>(.*?)</head>", re.S)


def pages(root: Path | None = None) -> list[str]:
    """The book's documents in table-of-contents order."""
    toc = yaml.safe_load(((root or repo_root()) / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for c in toc.get("chapters", [])]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


def print_page(root: Path | None = None) -> Path:
    """Write ``_build/print/book.html``: every page's article, in order, with print rules."""
    root = root or repo_root()
    html_dir = root / "_build" / "html"
    out = root / "_build" / "print" / "book.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    first = (html_dir / f"{pages(root)[0]}.html").read_text(encoding="utf-8")
    head = HEAD.search(first).group(1)
    base = (html_dir / "chapters").as_uri() + "/"
    head = re.sub(r"<title>.*?</title>", "<title>Kazakhstan's Oil and the Russian Pipe</title>", head, flags=re.S)
    parts = []
    for doc in pages(root):
        page = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
        m = ARTICLE.search(page)
        if m:
            parts.append(f'<div class="oilroutes-print-chapter">{m.group(1)}</div>')
    body = "\n".join(parts)
    out.write_text(
        f'<!DOCTYPE html>\n<html lang="en" data-theme="light"><head><base href="{base}">{head}{PRINT_CSS}'
        f'</head><body><div class="bd-main"><div class="bd-content"><div class="bd-article-container">'
        f'<article class="bd-article">{body}</article></div></div></div></body></html>\n',
        encoding="utf-8",
    )
    return out


def build_pdf(root: Path | None = None, budget_ms: int = 30000) -> Path:
    """Print the joined page to ``_build/html/book.pdf`` with headless Chromium."""
    root = root or repo_root()
    source = print_page(root)
    target = root / "_build" / "html" / "book.pdf"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--virtual-time-budget={budget_ms}",
        "--run-all-compositor-stages-before-draw",
        f"--print-to-pdf={target}",
        source.as_uri(),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    return target


if __name__ == "__main__":  # pragma: no cover
    print(build_pdf())
    sys.exit(0)
