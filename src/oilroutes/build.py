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

``python -m oilroutes.build`` is what ``make book`` runs; the build test calls
:func:`build` too.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import repo_root

STAMP = Path("_build") / ".inputs-stamp"
# The HTML goes too: Sphinx stamps static links with ?v=<checksum> only when the
# files are already in the output, so a rebuild over old HTML differs from a clean one.
CACHES = ("_build/.jupyter_cache", "_build/.doctrees", "_build/html", "_build/unpruned-css")
FILES = ("references.bib", "_config.yml", "_toc.yml", "requirements.lock", "pyproject.toml")
TREES = ("src", "data")


def _inputs(root: Path) -> list[Path]:
    files = [
        p
        for d in TREES
        for p in (root / d).rglob("*")
        if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts
    ]
    return sorted(files) + [root / f for f in FILES]


def inputs_digest(root: Path | None = None) -> str:
    """sha256 over the names and bytes of every input that can change a chapter's output."""
    root = root or repo_root()
    h = hashlib.sha256()
    for p in _inputs(root):
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest() if p.is_file() else b"absent")
    return h.hexdigest()


def drop_stale_cache(root: Path | None = None) -> bool:
    """Remove the execution cache, Sphinx environment and HTML unless the inputs' content matches the stamp."""
    root = root or repo_root()
    stamp = root / STAMP
    digest = inputs_digest(root)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return False
    for d in CACHES:
        shutil.rmtree(root / d, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n", encoding="utf-8")
    return True


def _toc_notebooks(root: Path) -> list[Path]:
    """The notebooks the table of contents builds, in its order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").is_file()]


def execute_in_parallel(root: Path | None = None) -> int:
    """Run the book's notebooks that the execution cache lacks, one per core, into that cache.

    The strict Sphinx build then takes every output from the cache (jupyter-cache
    matches a notebook by its code and kernel, wherever it was run), so a clean
    build costs the slowest chapter rather than the sum of them. A notebook that
    fails here is simply run again by the build, which reports its error.
    Returns the number of notebooks run.
    """
    import yaml
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    root = root or repo_root()
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["execute"]
    cache = get_cache(str(root / config["cache"]))
    for nb in _toc_notebooks(root):
        cache.add_nb_to_project(str(nb))
    executor = load_executor("local-parallel", cache=cache)
    result = executor.run_and_cache(timeout=config["timeout"], allow_errors=config["allow_errors"])
    return len(result.succeeded) + len(result.excepted) + len(result.errored)


def build(root: Path | None = None, capture: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build the whole book strictly into _build/html; return the finished process."""
    from .vendor import ensure_vendor

    root = root or repo_root()
    ensure_vendor(root)
    drop_stale_cache(root)
    env = dict(env or os.environ, OILROUTES_ASSETS="local")
    saved = dict(os.environ)
    os.environ.update(env)  # the kernels run with the build's environment
    try:
        execute_in_parallel(root)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=capture, text=True)
    if done.returncode == 0:  # student and teacher editions, per-figure data and citations
        from .postbuild import run as after_build

        after_build(root)
    return done


if __name__ == "__main__":
    sys.exit(build().returncode)
