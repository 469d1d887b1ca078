"""Read the bibliography, so that every row's source key can be checked and shown."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pybtex.database import parse_file

from .errors import DataError
from .paths import bib_path

REQUIRED = ("title", "url", "urldate")


def _plain(text: str) -> str:
    """A BibTeX field as plain text: case-protecting braces and escapes removed."""
    for esc, ch in (("\\%", "%"), ("\\$", "$"), ("\\&", "&"), ("\\_", "_"), ("\\#", "#")):
        text = text.replace(esc, ch)
    return text.replace("{", "").replace("}", "").strip()


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> dict[str, dict[str, str]]:
    try:
        db = parse_file(path, bib_format="bibtex")
    except Exception as exc:  # pybtex raises several kinds
        raise DataError(path, [(None, None, f"the bibliography cannot be parsed: {exc}")]) from None
    out = {}
    problems = []
    for key, entry in db.entries.items():
        fields = {k.lower(): _plain(str(v)) for k, v in entry.fields.items()}
        for name in REQUIRED:
            if not fields.get(name):
                problems.append((None, name, f"entry '{key}' has no {name}"))
        fields["key"] = key
        out[key] = fields
    if problems:
        raise DataError(path, problems)
    return out


def references(path: Path | None = None) -> dict[str, dict[str, str]]:
    """All bibliography entries, keyed by citation key (each has title, url, urldate)."""
    p = Path(path) if path else bib_path()
    return _load(str(p), p.stat().st_mtime)


def split_keys(value: str) -> list[str]:
    """A ``source`` cell may hold several keys separated by ';'."""
    return [k.strip() for k in str(value).split(";") if k.strip()]


def source_label(keys: str) -> str:
    """A short human label for a source cell: publisher and title of each key."""
    refs = references()
    labels = []
    for k in split_keys(keys):
        e = refs.get(k, {})
        who = e.get("organization") or e.get("publisher") or e.get("journal") or ""
        labels.append(f"{who}: {e.get('title', k)}".strip(": "))
    return "; ".join(labels)
