import shutil
from pathlib import Path

import pytest

from oilroutes.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ (and references.bib beside it) that the loaders will read."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    monkeypatch.setenv("OILROUTES_DATA_DIR", str(target))
    return target


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test (Playwright's sync API allows one per process)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()
