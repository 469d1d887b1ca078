"""Whole-book builds of a private copy: a restored file is rebuilt, and equals a clean build.

The copy starts with the run's own execution cache and stamp (inputs A). Two
builds of it (slow, marked ``book``): B, a clean build of changed data; then A
restored with its OLD mtime. The second must show A's number (an mtime-based
cache kept showing B) and must take A's outputs from the cache set aside for
A's inputs, executing nothing; its chapter pages must be byte for byte those
of the run's own build of the repository, which is a clean build of the same
inputs on a fresh clone (and a build the content stamp has kept in step
anywhere else).
"""

import os
import shutil

import pytest

from oilroutes import build
from oilroutes.paths import repo_root

pytestmark = pytest.mark.book

ROOT = repo_root()
EVENTS = "data/cpc_events.csv"
A, B = b"5.285 billion roubles", b"9.876 billion roubles"


def _pages(root):
    html = root / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted((html / "chapters").glob("*.html"))}


def _build(root):
    # one chapter at a time: the other test workers keep the cores busy
    env = dict(os.environ, OILROUTES_DATA_DIR=str(root / "data"))
    proc = build.build(root, capture=True, env=env, parallel=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return _pages(root), proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    skip = shutil.ignore_patterns(".git", ".venv", "_build", "test-artifacts", "bench-results", "__pycache__", "*.pyc")
    shutil.copytree(ROOT, root, ignore=skip, dirs_exist_ok=True)
    shutil.copytree(ROOT / build.EXECUTION, root / build.EXECUTION)
    shutil.copy2(ROOT / build.STAMP, root / build.STAMP)
    return root


def test_restored_file_is_rebuilt_and_equals_a_clean_build(built_book, copy):
    events = copy / EVENTS
    original, old = events.read_bytes(), events.stat()
    assert A in original and build.inputs_digest(copy) == (copy / build.STAMP).read_text().split()[0]
    events.write_bytes(original.replace(A, B))
    with_b, log = _build(copy)
    assert B.decode() in with_b["chapters/02_cpc_disruptions.html"].decode()
    n = len(build._toc_notebooks(copy))
    assert f"{n} notebook(s) executed" in log  # B's inputs were never built: every chapter ran

    events.write_bytes(original)
    os.utime(events, ns=(old.st_atime_ns, old.st_mtime_ns))
    restored, log = _build(copy)
    page = restored["chapters/02_cpc_disruptions.html"].decode()
    assert A.decode() in page and B.decode() not in page
    assert "0 notebook(s) executed" in log and log.count("Using cached notebook") == n, log[-3000:]

    clean = _pages(ROOT)
    assert clean.keys() == restored.keys()
    differ = [name for name in clean if clean[name] != restored[name] and not name.endswith("execution.html")]
    assert not differ, differ
