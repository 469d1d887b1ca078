import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import kernel_sockets  # noqa: F401  (nbval's kernels on private Unix sockets)
import pytest

from oilroutes import pagemetrics
from oilroutes.paths import STORE_ENV, data_dir, repo_root

ROOT = repo_root()
_MADE_STORE = []


def pytest_configure(config):
    """One store of validated tables for the whole run (every worker, kernel and build inherits it),
    so the chapters' kernels validate each table once, as in the build; removed at the end."""
    if hasattr(config, "workerinput") or os.environ.get(STORE_ENV):
        return
    import tempfile

    os.environ[STORE_ENV] = tempfile.mkdtemp(prefix="oilroutes-validated-")
    _MADE_STORE.append(os.environ[STORE_ENV])


def pytest_unconfigure(config):
    for store in _MADE_STORE:
        shutil.rmtree(store, ignore_errors=True)


# a chapter code cell that draws a figure: a call to one of the book's chart or map functions
FIGURE_CALL = re.compile(r"\b(charts\.\w+_chart|maps\.\w+_map)\(")


def toc_pages():
    """Every page of the table of contents (its source's path without the suffix), in its order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for c in toc.get("chapters", [])]
    return files + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]


def figure_pages():
    """The pages of the book whose source draws a chart or a map (a Markdown page draws none), in the order of
    the table of contents."""
    import nbformat

    return [
        f
        for f in toc_pages()
        if (ROOT / f"{f}.ipynb").is_file()
        and any(
            c.cell_type == "code" and FIGURE_CALL.search(c.source)
            for c in nbformat.read(ROOT / f"{f}.ipynb", as_version=4).cells
        )
    ]


FIGURE_PAGES = figure_pages()


# The contrast of each chart's text (titles, axes, legends) and each table cell's against what lies
# behind it: the page's background unless an output card paints one (WCAG's relative luminance).
_TEXT_CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                               .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                           if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = [];
  for (const chart of document.querySelectorAll('.oilroutes-chart')) {
    const back = behind(chart);
    for (const t of chart.querySelectorAll('svg .role-title text, svg .role-axis-title text, svg .role-axis-label text, svg .role-legend-label text'))
      out.push({what: 'chart text ' + JSON.stringify(t.textContent.slice(0, 30)), ratio: ratio(rgb(getComputedStyle(t).fill), back)});
  }
  // the plot's marks: text (such as labels on bars) needs 4.5:1, a shape 3:1 (WCAG 1.4.11); translucent
  // marks (a range behind its ends, an estimate drawn lighter) are layered on purpose and not judged
  for (const chart of document.querySelectorAll('.oilroutes-chart')) {
    const back = behind(chart);
    for (const m of chart.querySelectorAll('svg .role-mark path, svg .role-mark line, svg .role-mark text')) {
      const cs = getComputedStyle(m), text = m.tagName === 'text';
      const filled = text || (cs.fill !== 'none' && rgb(cs.fill).length >= 3 && (rgb(cs.fill)[3] ?? 1) > 0);
      const paint = filled ? cs.fill : cs.stroke, alpha = parseFloat(filled ? cs.fillOpacity : cs.strokeOpacity);
      let opacity = alpha;
      for (let e = m; e && e !== chart; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
      if (paint === 'none' || opacity < 0.99 || rgb(paint).length < 3 || (rgb(paint)[3] ?? 1) < 1) continue;
      const label = m.getAttribute('aria-label') || m.textContent || paint;
      out.push({what: (text ? 'chart text ' : 'chart mark ') + JSON.stringify(label.slice(0, 40)) + ' ' + paint,
                ratio: ratio(rgb(paint), back), paint: rgb(paint).slice(0, 3)});
    }
  }
  for (const td of document.querySelectorAll('.oilroutes-table td, .oilroutes-table th'))
    if (td.getClientRects().length) out.push({what: 'table cell ' + JSON.stringify(td.textContent.slice(0, 30)), ratio: ratio(rgb(getComputedStyle(td).color), behind(td))});
  return out;
}"""


def check_text_contrast(page, mode):
    """A loaded page's charts and tables in ``mode``: every text at least 4.5:1 against what lies behind it (WCAG
    AA), and every opaque mark of the charts at least 3:1, but for the colours kept pale on purpose on the light
    page. The page's closed working notes are opened for the check and closed again after it."""
    from oilroutes import style

    page.wait_for_function("() => document.documentElement.dataset.theme === '%s'" % mode, timeout=5000)
    page.evaluate(
        "() => { window.__shut = Array.from(document.querySelectorAll('details.oilroutes-working')).filter(d => !d.open);"
        " window.__shut.forEach(d => d.open = true); }"
    )
    try:
        page.wait_for_function(pagemetrics.FIGURES_READY_JS, timeout=15000)
        page.wait_for_timeout(500)  # the charts redraw in the page's theme
        found = page.evaluate(_TEXT_CONTRAST)
    finally:
        page.evaluate("() => { (window.__shut || []).forEach(d => d.open = false); delete window.__shut; }")
    assert sum(f["what"].startswith("chart text") for f in found) > 10
    texts = [f for f in found if not f["what"].startswith("chart mark")]
    faint = [f"{f['what']}: {f['ratio']:.1f}" for f in texts if f["ratio"] < 4.5]
    assert not faint, f"{len(faint)} texts below 4.5:1 in {mode} mode, e.g. {faint[:5]}"
    # every opaque mark stands out by 3:1; on the light page the colours kept pale on purpose may not
    marks = [f for f in found if f["what"].startswith("chart mark")]
    assert len(marks) > 5
    pale = style.PALE_BY_DESIGN if mode == "light" else set()
    faint = [
        f"{f['what']}: {f['ratio']:.1f}"
        for f in marks
        if f["ratio"] < 3 and "#{:02x}{:02x}{:02x}".format(*map(round, f["paint"])) not in pale
    ]
    assert not faint, f"{len(faint)} marks below 3:1 in {mode} mode, e.g. {faint[:5]}"


def timeline_spec(legal):
    """Chapter 2's disruption timeline as a Vega-Lite spec, from the data, with ``legal`` as its band of
    sanctions and carve-outs (None: no band)."""
    from oilroutes import charts, data, losses

    return charts.disruption_timeline_chart(
        losses.event_losses(),
        data.load("cpc_events"),
        data.load("cpc_throughput"),
        data.load("political_context"),
        legal,
    ).to_dict()


# Tiers: `make test-fast` runs -m "not book and not browser".
_BOOK_FIXTURES = {"built_book", "server"}
_BROWSER_FIXTURES = {"browser"}


# The order in which the files go to the xdist workers (pyproject.toml: --no-loadscope-reorder). A short
# file that needs the book comes first, so that one worker builds it while the others take the files
# that need no build, longest first; then the files that need the book, longest first (measured with
# --durations), so that no long file is left to start last. Files not named here go after the named
# ones of their kind.
_SCHEDULE = (
    "tests/test_repository.py",
    "chapters/",
    "tests/test_bad_input.py",
    "tests/test_model.py",
    "tests/test_conclusions.py",
    "tests/test_exercises.py",
    "tests/test_style.py",
    "tests/test_maps_charts.py",
    "tests/test_web.py",  # the first file that needs the book
    "tests/test_build_stable.py",
    "tests/test_cssprune.py",
    "tests/test_book.py",
    "tests/test_editions.py",
    "tests/test_pdf.py",
    "tests/test_escaping.py",
    "tests/test_reuse.py",
    "tests/test_layout.py",  # last: its tests go one by one to whichever worker is free (_SPREAD)
)


# Under xdist a file's tests stay on one worker, so that a notebook's cells share one kernel and a
# module's fixtures run once; the files named here have neither, and their tests go one by one to
# whichever worker is free, filling the end of the run.
_SPREAD = {"tests/test_layout.py"}


@pytest.hookimpl(optionalhook=True)  # a run without xdist (-p no:xdist) never asks
def pytest_xdist_make_scheduler(config, log):
    """xdist's file scheduler, except that the tests of the files in _SPREAD are scheduled one by one."""
    from xdist.scheduler import LoadScopeScheduling

    class Files(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return nodeid if path in _SPREAD else path

    return Files(config, log)


def _file_rank(path, needs_book):
    for i, prefix in enumerate(_SCHEDULE):
        if path.startswith(prefix):
            return i
    return len(_SCHEDULE) if needs_book else _SCHEDULE.index("tests/test_web.py") - 0.5


def pytest_collection_modifyitems(items):
    """Mark by what a test needs, so that a new browser or build test lands in the right tier by itself;
    then order the files as the workers should take them (_SCHEDULE), each file's tests in their order."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if needs & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if needs & (_BOOK_FIXTURES | _BROWSER_FIXTURES):
            item.add_marker(pytest.mark.book)
    files = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        files[path] = files.get(path, False) or item.get_closest_marker("book") is not None
    items.sort(key=lambda item: _file_rank(item.nodeid.split("::")[0], files[item.nodeid.split("::")[0]]))


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ (and references.bib beside it) that the loaders will read."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("OILROUTES_DATA_DIR", str(target))
    return target


CHROMIUM = pagemetrics.CHROMIUM


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test (Playwright's sync API allows one per process)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is not installed: run `make test` (it installs it) or `apt-get install chromium`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=pagemetrics.CHROMIUM_ARGS,
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def built_book():
    """The whole book, built strictly once per test run, and its build log.

    Under pytest-xdist every worker asks for it; a lock on ``_build`` lets the
    first build while the others wait, and the others then read its log
    instead of building again (the run's id is kept beside the log).
    """
    from oilroutes.build import build

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"
    (ROOT / "_build").mkdir(exist_ok=True)
    log_file, run_file = ROOT / "_build" / ".test-build.log", ROOT / "_build" / ".test-build.run"
    with open(ROOT / "_build" / ".test-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run_file.is_file() and run_file.read_text() == run and log_file.is_file():
            log = log_file.read_text(encoding="utf-8")
        else:
            proc = build(ROOT, capture=True)
            log = proc.stdout + proc.stderr
            assert proc.returncode == 0, f"strict build failed:\n{log[-6000:]}"
            (ROOT / "_build").mkdir(exist_ok=True)
            log_file.write_text(log, encoding="utf-8")
            run_file.write_text(run)
    return log


ARTIFACTS = ROOT / "test-artifacts"
# `make screenshots` sets this: every page's full-page screenshot, at 390 and 1280 px, to look at.
SCREENSHOTS = os.environ.get("OILROUTES_SCREENSHOTS") == "1"


@contextmanager
def pictured(page, name):
    """Keep a full-page screenshot, test-artifacts/<name>.png, when a check inside fails (or when asked for)."""
    try:
        yield
    except BaseException:
        _screenshot(page, name)
        raise
    if SCREENSHOTS:
        _screenshot(page, name)


def _screenshot(page, name):
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


LOCAL = ("http://127.0.0.1", "data:", "about:", "blob:")

# Resolves true once the boxes of everything the selector matches have kept their place for `times` looks
# running, one each animation frame or every `every` ms; false after `limit` ms of movement.
_STILL_JS = """([selector, times, every, limit]) => new Promise(resolve => {
  const start = performance.now();
  let last = null, same = 0;
  const look = () => JSON.stringify(Array.from(document.querySelectorAll(selector), e => {
    const b = e.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; }));
  const later = every ? f => setTimeout(f, every) : f => requestAnimationFrame(f);
  const tick = () => {
    const now = look();
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= times) resolve(true);
    else if (performance.now() - start > limit) resolve(false);
    else later(tick);
  };
  later(tick);
})"""


def still(target, selector, times=5, every=None, limit=5000):
    """Wait until what ``selector`` matches in ``target`` (a page or a frame) stops moving: its boxes unchanged
    for ``times`` looks running, one each animation frame or every ``every`` ms. A wait for the layout itself,
    where a fixed sleep would be too long on a fast machine and too short on a busy one."""
    assert target.evaluate(_STILL_JS, [selector, times, every, limit]), f"'{selector}' kept moving for {limit} ms"


# The shape of a chart's bars, to see that a redraw changed them.
BAR_SHAPES = "c => Array.from(c.querySelectorAll('svg .mark-rect path'), p => p.getAttribute('d')).join(' ')"
BARS_CHANGED = f"([c, before]) => ({BAR_SHAPES})(c) !== before"  # for until(), given [chart, shapes before]
# An element shown as Playwright's is_visible() means it: a box of some size, and not visibility: hidden.
SHOWN = "e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; }"


def until(target, condition, message, arg=None, timeout=5000):
    """Wait for what a page does in its own time (an animation, a redraw, a folding) until ``condition`` (a JS
    function, given ``arg``) holds in ``target`` (a page or a frame); fail with ``message`` if it does not
    within ``timeout`` ms. A fixed sleep is too short on a busy machine and too long on a fast one."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        target.wait_for_function(condition, arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        pytest.fail(message)


def open_offline(browser, url, width=1280):
    """A page as an offline reader sees it, once every map and chart is drawn and the layout has settled.

    Every request that is not to the local server is blocked and listed; page
    errors and console errors are collected. Returns (page, problems, blocked).
    """
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems, blocked = [], []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    settle(page)
    return page, problems, blocked


def settle(page):
    """Wait until every map and chart of a loaded page is drawn and has stopped moving."""
    page.wait_for_function(pagemetrics.FIGURES_READY_JS, timeout=15000)
    # the charts re-fit to their column after the first draw, a redraw 150 ms after a change: three looks 100 ms apart
    still(page, ".oilroutes-chart svg, iframe", times=3, every=100, limit=10000)


@pytest.fixture(scope="session")
def server(built_book):
    """The built book served on a free local port."""
    with pagemetrics.serve(ROOT / "_build" / "html") as url:
        yield url
