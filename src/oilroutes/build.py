"""Build the book the one way: vendored assets, fresh outputs when inputs changed, strict Sphinx.

jupyter-cache keys a notebook's outputs on the notebook's own text, and Sphinx
re-reads only documents whose text changed. So when the package, the data, the
bibliography, the book's configuration or the lock file change, the execution
cache, the Sphinx environment and the HTML are dropped before building (the
result is then byte-identical to a clean build); otherwise the rebuild is
incremental and fast.

"Changed" means changed content: a sha256 over those files is kept in the
stamp. Modification times are never consulted, so a file restored from a
backup or an archive with an old mtime still invalidates the cache.

An execution cache is not thrown away but put aside under the digest of the
inputs it was made from (``_build/.execution-caches/<digest>``, the last
:data:`KEEP`), and put back when the inputs come back to exactly that content:
switching a branch, or a data file, back and forth re-executes nothing it has
executed before. A cache is only ever used with the very inputs that made it.

While the chapters' kernels start, a process of its own checks the whole data package and the bibliography
(``python -m oilroutes.validate``) into the store of checked data the kernels read, so each table is checked
once; when the data fail, the build reports each problem's file, row and field and stops before Sphinx.

``python -m oilroutes.build`` is what ``make book`` runs; the build test calls
:func:`build` too.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from .paths import STORE_ENV, repo_root

STAMP = Path("_build") / ".inputs-stamp"
EXECUTION = Path("_build") / ".jupyter_cache"
SET_ASIDE = Path("_build") / ".execution-caches"
KEEP = 3
# The HTML goes too: Sphinx stamps static links with ?v=<checksum> only when the
# files are already in the output, so a rebuild over old HTML differs from a clean one.
CACHES = ("_build/.doctrees", "_build/html", "_build/unpruned-css", "_build/.validated")
# Checked data (validated tables, the bibliography), shared by the chapters' kernels (oilroutes.paths.STORE_ENV).
VALIDATED = Path("_build") / ".validated"
FILES = ("references.bib", "_config.yml", "_toc.yml", "requirements.lock", "pyproject.toml")
TREES = ("src", "data")
PAGE_TREES = ("_static",)


def _inputs(root: Path) -> list[Path]:
    files = [
        p
        for d in TREES
        for p in (root / d).rglob("*")
        if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts
    ]
    return sorted(files) + [root / f for f in FILES]


def _digest(root: Path, paths: list[Path]) -> str:
    """sha256 over the names (relative to ``root``) and the bytes of ``paths``, in their order."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest() if p.is_file() else b"absent")
    return h.hexdigest()


def inputs_digest(root: Path | None = None) -> str:
    """sha256 over the names and bytes of every input that can change a chapter's output."""
    root = root or repo_root()
    return _digest(root, _inputs(root))


def pages_digest(root: Path | None = None) -> str:
    """sha256 over the book's own stylesheets and scripts (``_static``): they change pages, not outputs.

    Sphinx copies them only when it writes a page, so a rebuild after an edit to them alone (no
    page out of date) would keep serving the old ones; a change drops the HTML instead.
    """
    root = root or repo_root()
    return _digest(root, sorted(p for d in PAGE_TREES for p in (root / d).rglob("*") if p.is_file()))


def drop_stale_cache(root: Path | None = None) -> bool:
    """Unless the content of the inputs and of the pages' own files matches the stamp: remove the Sphinx
    environment and the HTML; and when the inputs changed, put the execution cache aside under the
    stamp's digest and take back the one made from these inputs, if kept."""
    root = root or repo_root()
    stamp = root / STAMP
    digest, pages = inputs_digest(root), pages_digest(root)
    old = stamp.read_text(encoding="utf-8").split() if stamp.is_file() else []
    old_inputs, old_pages = (old + ["", ""])[:2]
    if (old_inputs, old_pages) == (digest, pages):
        return False
    for d in CACHES:
        shutil.rmtree(root / d, ignore_errors=True)
    if old_inputs != digest:
        _swap_execution_cache(root, old_inputs, digest)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(f"{digest}\n{pages}\n", encoding="utf-8")
    return True


def _swap_execution_cache(root: Path, old: str, new: str) -> None:
    current, aside = root / EXECUTION, root / SET_ASIDE
    if current.is_dir() and len(old) == 64 and set(old) <= set("0123456789abcdef"):
        aside.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(aside / old, ignore_errors=True)
        current.rename(aside / old)
        os.utime(aside / old)  # set aside now: the most recent of those kept
    shutil.rmtree(current, ignore_errors=True)
    if (aside / new).is_dir():
        (aside / new).rename(current)
    if aside.is_dir():  # keep the most recently set aside (times only choose what is dropped)
        kept = sorted(aside.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for p in kept[KEEP:]:
            shutil.rmtree(p, ignore_errors=True)


def set_aside_digests(root: Path | None = None) -> list[str]:
    """The input digests whose execution caches are kept aside."""
    aside = (root or repo_root()) / SET_ASIDE
    return sorted(p.name for p in aside.iterdir()) if aside.is_dir() else []


def _toc_notebooks(root: Path) -> list[Path]:
    """The notebooks the table of contents builds, in its order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").is_file()]


def code_length(path: Path) -> int:
    """How many characters of code a notebook's code cells hold."""
    import nbformat

    return sum(len(c.source) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def longest_first(notebooks: list[Path]) -> list[Path]:
    """The notebooks with the most code first, for the run into the execution cache.

    The workers take the notebooks in this order, each the next as it comes free. A
    chapter's run time follows the length of its code (its charts, maps, tables and
    quoted figures), so starting the longest ones first leaves the shortest for the end,
    and the workers finish together instead of one running a long chapter alone.
    """
    return sorted(notebooks, key=code_length, reverse=True)


@contextmanager
def no_cache_trimming():
    """Within this block, jupyter-cache keeps every notebook it caches.

    Each time it caches a notebook, jupyter-cache trims its store to the newest 1,000,
    in two queries: the records to keep, then every record not among them. A record
    another worker adds between the two is taken for an old one. Then that worker's
    fresh outputs are deleted, or, when its notebook file is not written yet, caching
    this notebook fails ("Notebook file does not exist for cache record"), and Sphinx
    runs the chapter again itself. This store never needs trimming: it holds one
    build's chapters, and is set aside whole when the inputs change.
    """
    from jupyter_cache.cache.main import JupyterCacheBase

    saved = JupyterCacheBase.truncate_caches
    JupyterCacheBase.truncate_caches = lambda self: None  # the workers fork inside the block, and inherit it
    try:
        yield
    finally:
        JupyterCacheBase.truncate_caches = saved


def execute_into_cache(root: Path | None = None, parallel: bool = True) -> int:
    """Run the book's notebooks that the execution cache lacks, one per core, into that cache.

    The strict Sphinx build then takes every output from the cache (jupyter-cache
    matches a notebook by its code and kernel, wherever it was run), so a clean
    build costs the chapters' run times shared among the cores, not their sum; the
    longest start first (:func:`longest_first`). A notebook that
    fails here is simply run again by the build, which reports its error.
    Returns the number of notebooks run. ``parallel=False`` runs them one after another (for a
    build beside other work, such as a test run, where more processes only crowd the cores).
    """
    import yaml
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    from .kernels import on_sockets

    root = root or repo_root()
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["execute"]
    cache = get_cache(str(root / config["cache"]))
    # jupyter-cache runs a project's notebooks in the order they were added to it
    notebooks = [str(nb) for nb in longest_first(_toc_notebooks(root))]
    for nb in notebooks:
        cache.add_nb_to_project(nb)
    executor = load_executor("local-parallel" if parallel else "local-serial", cache=cache)
    # only this book's notebooks: a cache copied from elsewhere may list others; each on a kernel on
    # Unix sockets of its own (oilroutes.kernels), so that no other process can take its ports first
    with on_sockets(), no_cache_trimming():
        result = executor.run_and_cache(
            filter_uris=notebooks, timeout=config["timeout"], allow_errors=config["allow_errors"]
        )
    return len(result.succeeded) + len(result.excepted) + len(result.errored)


def start_data_check(env: dict) -> subprocess.Popen:
    """Check the data package and the bibliography in a process of its own (``python -m oilroutes.validate``),
    beside the chapters' kernels, into the store of checked data they read (``env`` names it).

    In a clean build the first kernels would otherwise each check the same tables; this way each table is
    checked once, while the kernels start. And bad data are reported once, as file, row and field, instead
    of as every chapter's failure.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "oilroutes.validate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish_data_check(checker: subprocess.Popen) -> tuple[bool, str]:
    """Wait for :func:`start_data_check`'s process: whether the data passed, and what it said (what it checked,
    or each problem's file, row and field)."""
    out, err = checker.communicate()
    said = "\n".join(part.strip() for part in (out, err) if part.strip())
    return checker.returncode == 0, said or f"the check ended with exit status {checker.returncode}"


def build(
    root: Path | None = None, capture: bool = False, env: dict | None = None, parallel: bool = True
) -> subprocess.CompletedProcess:
    """Build the whole book strictly into _build/html; return the finished process (``parallel``: see
    :func:`execute_into_cache`)."""
    from .vendor import ensure_vendor

    root = root or repo_root()
    ensure_vendor(root)
    drop_stale_cache(root)
    env = dict(env or os.environ, OILROUTES_ASSETS="local")
    env.setdefault(STORE_ENV, str(root / VALIDATED))
    saved = dict(os.environ)
    os.environ.update(env)  # the kernels and the steps after Sphinx run with the build's environment
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"]
    try:
        checker = start_data_check(env)
        ran = execute_into_cache(root, parallel)
        how = "one per core" if parallel else "one after another"
        passed, said = finish_data_check(checker)
        note = f"oilroutes.build: {ran} notebook(s) executed into the execution cache, {how}\n"
        if not passed:  # the chapters failed on it too: say where the data are wrong, not how each chapter broke
            message = f"{note}oilroutes.build: the data do not pass their checks, so the book was not built.\n{said}\n"
            if not capture:
                print(message, end="", file=sys.stderr, flush=True)
            return subprocess.CompletedProcess(cmd, 1, message if capture else None, "" if capture else None)
        note = f"oilroutes.build: {said}\n{note}"
        if not capture:
            print(note, end="", flush=True)
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=capture, text=True)
        if capture:
            done.stdout = note + done.stdout
        if done.returncode == 0:  # student and teacher editions, per-figure data and citations
            from .postbuild import run as after_build

            after_build(root)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return done


if __name__ == "__main__":
    sys.exit(build().returncode)
