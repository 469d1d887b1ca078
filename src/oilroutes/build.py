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
CACHES = ("_build/.jupyter_cache", "_build/.doctrees", "_build/html")
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


def build(root: Path | None = None, capture: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build the whole book strictly into _build/html; return the finished process."""
    from .vendor import ensure_vendor

    root = root or repo_root()
    ensure_vendor(root)
    drop_stale_cache(root)
    env = dict(env or os.environ, OILROUTES_ASSETS="local")
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=capture, text=True)
    if done.returncode == 0:  # student and teacher editions, per-figure data and citations
        from .postbuild import run as after_build

        after_build(root)
    return done


if __name__ == "__main__":
    sys.exit(build().returncode)
