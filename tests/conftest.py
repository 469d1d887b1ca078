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
