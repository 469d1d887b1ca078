"""Build the book the one way: vendored assets, fresh outputs when inputs changed, strict Sphinx.

jupyter-cache keys a notebook's outputs on the notebook's own text, and Sphinx
re-reads only documents whose text changed. So when the package, the data or
the lock file change, the execution cache and the Sphinx environment are
dropped before building; otherwise the rebuild is incremental and fast.

``python -m oilroutes.build`` is what ``make book`` runs; the build test calls
:func:`build` too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .vendor import ensure_vendor, repo_root

STAMP = Path("_build") / ".inputs-stamp"


def _inputs(root: Path) -> list[Path]:
    files = [p for d in ("src", "data") for p in (root / d).rglob("*") if p.is_file() and p.suffix != ".pyc"]
    return files + [root / "references.bib", root / "requirements.lock", root / "_config.yml"]


def drop_stale_cache(root: Path | None = None) -> bool:
    """Remove the execution cache and Sphinx environment if any input is newer than the last build."""
    root = root or repo_root()
    stamp = root / STAMP
    newest = max(p.stat().st_mtime for p in _inputs(root) if p.exists())
    if stamp.exists() and stamp.stat().st_mtime >= newest:
        return False
    for d in ("_build/.jupyter_cache", "_build/.doctrees"):
        shutil.rmtree(root / d, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()
    return True


def build(root: Path | None = None, capture: bool = False) -> subprocess.CompletedProcess:
    """Build the whole book strictly into _build/html; return the finished process."""
    root = root or repo_root()
    ensure_vendor(root)
    drop_stale_cache(root)
    env = dict(os.environ, OILROUTES_ASSETS="local")
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"]
    return subprocess.run(cmd, cwd=root, env=env, capture_output=capture, text=True)


if __name__ == "__main__":
    sys.exit(build().returncode)
