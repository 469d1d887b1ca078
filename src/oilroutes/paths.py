"""Where the data live, found relative to the package, never to the working directory."""

from __future__ import annotations

import os
from pathlib import Path

_ENV = "OILROUTES_DATA_DIR"


def data_dir() -> Path:
    """Return the directory holding ``datapackage.json``.

    In order: the ``OILROUTES_DATA_DIR`` environment variable (used by the tests
    to point at corrupted copies); the ``data/`` folder of the source checkout
    that an editable install points at; the data shipped inside an installed
    wheel (``oilroutes/_data``, as in Colab or Binder).
    """
    override = os.environ.get(_ENV)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "data", here / "_data"):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise FileNotFoundError(
        "Could not find the book's data package (datapackage.json) next to the "
        f"package at {here}. Install the package from the repository "
        "(pip install -e .) or set OILROUTES_DATA_DIR."
    )


def bib_path(directory: Path | None = None) -> Path:
    """The bibliography every ``source`` key must resolve in: beside the data, or one level up."""
    d = Path(directory) if directory else data_dir()
    for candidate in (d / "references.bib", d.parent / "references.bib"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"references.bib not found beside {d}")
