"""What ``oilroutes.build`` does after Sphinx has written ``_build/html``.

- writes the student edition and the teacher's key of every teaching chapter
  (:mod:`oilroutes.editions`) into ``_build/html/editions/``;
- makes the page's download button serve the teacher's key, so a downloaded
  chapter reads with its numbers filled in rather than ``{glue:text}`` placeholders;
- links both editions from under each chapter's title;
- writes each chart's and map's data as CSV and links it, with a citation and a
  permanent link, under the figure's caption (:mod:`oilroutes.reuse`);
- last, when the pages are final, cuts from the theme's stylesheets the rules that
  no page and no script of the book can use (:mod:`oilroutes.cssprune`).

Every step rewrites its output from scratch or checks for its own marker, so running it
again after an incremental build changes nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import cssprune, editions, reuse
from .paths import repo_root

MARK = 'class="oilroutes-editions"'
H1 = re.compile(r"(<h1\b[^>]*>.*?</h1>)", re.S)


def editions_block(stem: str) -> str:
    return (
        f"<p {MARK}>Use this chapter in class: "
        f'<a href="../editions/student/{stem}.ipynb" download>student edition</a> '
        f"(exercises without solutions) · "
        f'<a href="../editions/teacher/{stem}.ipynb" download>teacher\'s key</a> '
        f'(with solutions) · <a href="for_teachers.html">for teachers</a></p>'
    )


def link_editions(html: Path, stem: str) -> bool:
    """Insert the editions' links after the page's first heading; False if already there or no heading."""
    text = html.read_text(encoding="utf-8")
    if MARK in text:
        return False
    start = text.find("<article")  # the page's own heading, not the print-only copy above it
    m = H1.search(text, max(start, 0))
    if start < 0 or not m:
        return False
    html.write_text(text[: m.end()] + "\n" + editions_block(stem) + text[m.end() :], encoding="utf-8")
    return True


def run(root: Path | None = None) -> list[Path]:
    root = root or repo_root()
    html = root / "_build" / "html"
    written = editions.write_editions(root, html / "editions", lambda stem: editions.built_values(stem, root))
    for path in editions.chapters(root):
        teacher = html / "editions" / "teacher" / path.name
        shutil.copyfile(teacher, html / "_sources" / "chapters" / path.name)
        link_editions(html / "chapters" / f"{path.stem}.html", path.stem)
    written += reuse.add_figure_reuse(root)
    cssprune.prune_book(html, root / "_build" / "unpruned-css")
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in run():
        print(p)
