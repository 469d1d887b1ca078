"""``make bench``: measure the book against its budgets, on this machine.

Reports, as a table on the terminal and in ``bench-results/bench.md``:

* the clean build time (no caches), and the same against a *floor*: the same
  book with every chapter's code reduced to its import lines and its prose kept
  (glued values written as 0), built the same way, so the ratio shows what the
  chapters' own work costs; and against the floor as first measured, with the
  prose taken away too (that ratio also counts rendering the prose); each
  build kind timed :data:`RUNS` times on fresh copies, in rounds (book, floor,
  bare floor), the fastest of each counting for the times. The ratio that is
  held to its budget is the median of the rounds' ratios, each book run over
  the floor run beside it: on a shared machine the speed drifts over minutes
  (the floor of one commit took from 14.3 to 19.7 s within an hour), so the
  fastest book and the fastest floor may come from different speeds; the
  ratio of the fastest of each, and the lowest and highest round, are shown too;
* the rebuild time after a one-word prose edit (outputs cached);
* a fresh ``git clone`` to a built book with ``make book``, once with an empty
  package cache and once with it filled;
* the time of ``make test`` and of ``make test-fast``;
* the weight of each built page and of the whole book;
* the machine's speed, before and after the runs (:func:`machine_speed`), since the time budgets
  were set on a 2-core machine whose speed varies from one day to another;
* for each page as a reader gets it (:mod:`oilroutes.pagemetrics`): everything it
  loads, gzipped as a static host serves it, its request count, requests to
  other origins, and the time until its maps and charts are drawn.

Budgets (from the book's design and the open issues): fresh clone to built book
< 45 s, clean build < 60 s and at most 1.2 times the floor, rebuild < 10 s,
``make test`` < 3 min, ``make test-fast`` < 60 s, each page < 300 KB gzipped
without figures and < 700 KB with maps or charts, no request to another
origin, figures drawn within 1.5 s, the book < 20 MB. This is a benchmark, not a test: it reports and never fails.
``python -m oilroutes.bench pages`` measures only the pages of the last build.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from . import pagemetrics
from .build import build
from .editions import GLUE
from .vendor import repo_root

BUDGETS = {
    "fresh clone to built book (s)": 45,
    "clean build (s)": 60,
    "clean build / floor (ratio)": 1.2,
    "rebuild after prose edit (s)": 10,
    "make test (s)": 180,
    "make test-fast (s)": 60,
    "largest chapter page (MB)": 2,
    "whole book (MB)": 20,
}


def _copy_tree(root: Path, dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        target = dest / f
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f, target)
    vendor = root / "_extra" / "_static" / "vendor"
    if vendor.exists():
        shutil.copytree(vendor, dest / "_extra" / "_static" / "vendor")
    return dest


RUNS = 5  # rounds of clean builds (one of each kind per round); see the module's docstring for what counts


def _reduce_to_imports(book: Path, keep_prose: bool = True) -> None:
    """Cut every chapter's code to its import lines: the floor, a book whose chapters compute nothing.

    ``keep_prose`` keeps every text cell, each glued value written as ``0``, so that the floor
    renders the same prose and the ratio weighs only what the code does. Without it only each
    chapter's title is left (the floor as first measured, which also takes the prose away).
    """
    for path in (book / "chapters").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                lines = [line for line in cell.source.splitlines() if line.startswith(("import ", "from "))]
                if lines:
                    cells.append(nbformat.v4.new_code_cell("\n".join(lines)))
            elif keep_prose:  # each glued value ({glue:text}`name:spec`) written as 0
                cells.append(nbformat.v4.new_markdown_cell(GLUE.sub("0", cell.source)))
        if not keep_prose:
            title = next((c for c in nb.cells if c.cell_type == "markdown"), None)
            cells = ([nbformat.v4.new_markdown_cell(title.source.split("\n")[0])] if title else []) + cells
        nb.cells = cells
        nbformat.write(nb, path)
    # the back-matter pages stay as they are (no code)


def _timed_build(book: Path) -> float:
    start = time.perf_counter()
    proc = build(book, capture=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"build failed in {book}:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return elapsed


def _timed_make(root: Path, target: str, env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(["make", target], cwd=root, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"make {target} failed in {root}:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return elapsed


def _fresh_clone(root: Path, dest: Path, cache: Path) -> float:
    """Seconds from ``git clone`` to a built book with ``make book`` (the committed tree, its own .venv).

    The package cache is a private one: empty on the first call (every wheel is
    downloaded), filled on the second (as on a re-runner's second clone).
    """
    start = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(root), str(dest)], check=True)
    env = dict(os.environ, UV_CACHE_DIR=str(cache))
    env.pop("VIRTUAL_ENV", None)
    _timed_make(dest, "book", env=env)
    return time.perf_counter() - start


def _prose_edit(book: Path) -> None:
    path = book / "chapters" / "01_dependence_on_russia.ipynb"
    nb = nbformat.read(path, as_version=4)
    md = next(c for c in nb.cells if c.cell_type == "markdown" and "## How much oil" in c.source)
    md.source = md.source.replace("patchy.", "patchy indeed.", 1)
    nbformat.write(nb, path)


def machine_speed(repeat: int = 3) -> float:
    """Seconds for a plain Python loop of 10 million additions, the fastest of ``repeat``: a yardstick for
    reading the other times across machines and days (on the same 2-core machine, the floor below has
    taken 9.2 s one day and 16.7 s another)."""
    best = float("inf")
    for _ in range(repeat):
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def run() -> tuple[list[tuple[str, float, float | None]], list]:
    root = repo_root()
    speed_before = machine_speed()
    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        # Each clean build is timed RUNS times, the three kinds in turn, each time on a fresh copy, and the
        # fastest run counts (as timeit does): on a shared machine one run can be a fifth slower.
        times: dict[str, list[float]] = {"book": [], "floor": [], "bare": []}
        for i in range(RUNS):
            for kind in times:
                book = _copy_tree(root, Path(tmp) / f"{kind}{i}")
                if kind != "book":
                    _reduce_to_imports(book, keep_prose=kind == "floor")
                times[kind].append(_timed_build(book))
        clean, floor, bare = (min(times[k]) for k in ("book", "floor", "bare"))
        rounds = sorted(b / f for b, f in zip(times["book"], times["floor"], strict=True))
        book = Path(tmp) / f"book{RUNS - 1}"
        _prose_edit(book)
        rebuild = _timed_build(book)
        html = book / "_build" / "html"
        page_metrics = pagemetrics.measure_book(html)
        pages = {p.name: p.stat().st_size / 1e6 for p in sorted((html / "chapters").glob("*.html"))}
        total = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6
        fresh_cold = _fresh_clone(root, Path(tmp) / "cold", cache=Path(tmp) / "uv-cache")
        fresh_warm = _fresh_clone(root, Path(tmp) / "warm", cache=Path(tmp) / "uv-cache")
    tests = _timed_make(root, "test")
    fast = _timed_make(root, "test-fast")
    rows += [
        ("this machine: a Python loop of 10^7 additions, before the runs (s)", speed_before, None),
        ("this machine: the same loop, after the runs (s)", machine_speed(), None),
        ("fresh clone to built book, empty package cache (s)", fresh_cold, None),
        ("fresh clone to built book, package cache filled (s)", fresh_warm, BUDGETS["fresh clone to built book (s)"]),
        ("clean build (s)", clean, BUDGETS["clean build (s)"]),
        ("floor: chapters' code reduced to its imports, prose kept (s)", floor, None),
        (
            "clean build / floor, median of the rounds (ratio)",
            statistics.median(rounds),
            BUDGETS["clean build / floor (ratio)"],
        ),
        ("clean build / floor, lowest round (ratio)", rounds[0], None),
        ("clean build / floor, highest round (ratio)", rounds[-1], None),
        ("fastest clean build / fastest floor (ratio)", clean / floor, None),
        ("floor without the prose too, as first measured (s)", bare, None),
        ("clean build / floor without prose (ratio)", clean / bare, None),
        ("rebuild after prose edit (s)", rebuild, BUDGETS["rebuild after prose edit (s)"]),
        ("make test (s)", tests, BUDGETS["make test (s)"]),
        ("make test-fast (s)", fast, BUDGETS["make test-fast (s)"]),
    ]
    rows += [(f"page {name} (MB)", size, 2) for name, size in pages.items()]
    rows += [("largest chapter page (MB)", max(pages.values()), 2), ("whole book (MB)", total, 20)]
    return rows, page_metrics


def table(rows) -> str:
    out = ["| measure | value | budget | within |", "|---|---:|---:|---|"]
    for name, value, budget in rows:
        ok = "" if budget is None else ("yes" if value <= budget else "NO")
        out.append(f"| {name} | {value:,.2f} | {'' if budget is None else budget} | {ok} |")
    return "\n".join(out)


def main() -> None:
    if sys.argv[1:] == ["pages"]:
        print(pagemetrics.table(pagemetrics.measure_book(repo_root() / "_build" / "html")))
        return
    rows, page_metrics = run()
    text = (
        table(rows)
        + "\n\nEach page as a reader gets it (gzip as a static host serves it; outside-origin requests blocked "
        "and counted; figures ready = ms from navigation until every map and chart is drawn):\n\n"
        + pagemetrics.table(page_metrics)
    )
    out = repo_root() / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    (out / "bench.md").write_text(f"# Benchmark, {stamp}\n\n{text}\n")
    print(text)
    print(f"\nwritten to {out / 'bench.md'}")


if __name__ == "__main__":
    main()
