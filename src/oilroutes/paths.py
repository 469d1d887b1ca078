"""Where things live, defined once: the repository, the data, the bibliography.

Everything is found relative to the package, never to the working directory,
and a resource path from the descriptor can only ever name a file inside the
data directory.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import DataError

_ENV = "OILROUTES_DATA_DIR"
#: A directory where validated tables are kept for other processes (the build sets it for its
#: kernels, the tests for theirs): each chapter's kernel then validates only what no other has
#: (see :mod:`oilroutes.validate`).
STORE_ENV = "OILROUTES_VALIDATED"


def repo_root() -> Path:
    """The source checkout the package was installed from (editable install), or the package's parent."""
    return Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def _package_dir() -> Path:
    """This package's folder with its links resolved (asked for by every read of every table)."""
    return Path(__file__).resolve().parent


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
    here = _package_dir()
    for candidate in (here.parents[1] / "data", here / "_data"):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise DataError(
        "data/datapackage.json",
        [
            (
                None,
                None,
                "could not find the book's data package next to the package at "
                f"{here}: install the package from the repository (pip install -e .) or set {_ENV}",
            )
        ],
    )


def bib_path(directory: Path | None = None) -> Path:
    """The bibliography every ``source`` key must resolve in: beside the data, or one level up."""
    d = Path(directory) if directory else data_dir()
    for candidate in (d / "references.bib", d.parent / "references.bib"):
        if candidate.is_file():
            return candidate
    raise DataError(
        "references.bib", [(None, None, f"the bibliography is missing (looked beside {d} and one level up)")]
    )


def shown(path: Path, directory: Path | None = None) -> str:
    """Name a data file the way a reader finds it: data/<path inside the data directory>."""
    d = Path(directory) if directory else data_dir()
    try:
        return "data/" + Path(path).resolve().relative_to(d.resolve()).as_posix()
    except ValueError:
        return f"data/{Path(path).name}"


@lru_cache(maxsize=32)
def _resolved(directory: str) -> Path:
    """A data directory with its symbolic links resolved (asked for on every read of every resource)."""
    return Path(directory).resolve()


def resource_path(relative: object, directory: Path | None = None, resource: str = "?") -> Path:
    """The one file a descriptor's ``path`` names, checked to lie inside the data directory.

    Refuses absolute paths, ``..`` and symbolic links that lead out of the
    directory, with a :class:`DataError` that names the path but never reads
    (or prints) the file it points at.
    """
    d = Path(directory) if directory else data_dir()
    where = [(None, "path", "")]

    def refuse(why: str) -> DataError:
        where[0] = (
            None,
            "path",
            f"resource '{resource}': path {relative!r} {why}; "
            "resource paths must be relative and stay inside the data directory",
        )
        return DataError("data/datapackage.json", where)

    if not isinstance(relative, str) or not relative.strip():
        raise refuse("is not a file name")
    if "\\" in relative or PureWindowsPath(relative).drive or PurePosixPath(relative).is_absolute():
        raise refuse("is absolute or not a POSIX relative path")
    if ".." in PurePosixPath(relative).parts:
        raise refuse("climbs out with '..'")
    candidate = d / relative
    try:
        candidate.resolve().relative_to(_resolved(str(d)))
    except ValueError:
        raise refuse("leads outside the data directory through a symbolic link") from None
    return candidate
