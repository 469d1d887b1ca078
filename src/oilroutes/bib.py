"""Read the bibliography, so that every row's source key can be checked and shown."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pybtex.database import parse_string

from .errors import DataError
from .paths import bib_path

REQUIRED = ("title", "url", "urldate")
FILE = "references.bib"


def _plain(text: str) -> str:
    """A BibTeX field as plain text: case-protecting braces and escapes removed."""
    for esc, ch in (("\\%", "%"), ("\\$", "$"), ("\\&", "&"), ("\\_", "_"), ("\\#", "#")):
        text = text.replace(esc, ch)
    return text.replace("{", "").replace("}", "").strip()


def _entry_lines(text: str) -> dict[str, int]:
    """The line each entry starts on, so that a problem names its row in the file."""
    return {
        m.group(1).strip(): text.count("\n", 0, m.start()) + 1
        for m in re.finditer(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", text, flags=re.MULTILINE)
    }


def entry_problems(key: str, fields: dict[str, str], line: int | None) -> list:
    """What is wrong with one entry: a missing title/url/urldate, a url that is not http(s), a urldate that is not a date."""
    problems = [(line, name, f"entry '{key}' has no {name}") for name in REQUIRED if not fields.get(name)]
    url = fields.get("url", "")
    if url and not re.match(r"https?://[^\s/]+\.[^\s]+$", url, flags=re.IGNORECASE):
        problems.append((line, "url", f"entry '{key}': url must be an http(s) address, got {url[:80]!r}"))
    urldate = fields.get("urldate", "")
    if urldate:
        try:
            datetime.strptime(urldate, "%Y-%m-%d")
        except ValueError:
            problems.append(
                (line, "urldate", f"entry '{key}': urldate must be a date YYYY-MM-DD, got {urldate[:40]!r}")
            )
    return problems


@lru_cache(maxsize=8)
def _load(path: str, digest: str) -> dict[str, dict[str, str]]:
    """The checked entries of the bibliography with these bytes: parsed once per process, and once
    among the processes that share a store of checked data (see :func:`oilroutes.validate.kept_path`)."""
    from .validate import keep, kept, kept_path

    store = kept_path("bibliography", path, digest)
    entries = kept(store)
    if isinstance(entries, dict):
        return entries
    entries = _parse(path)
    if store is not None:
        keep(entries, store)
    return entries


def _parse(path: str) -> dict[str, dict[str, str]]:
    from .validate import read_text

    text = read_text(Path(path), FILE)
    try:
        db = parse_string(text, bib_format="bibtex")
    except Exception as exc:  # pybtex raises several kinds
        raise DataError(FILE, [(None, None, f"the bibliography cannot be parsed: {exc}")]) from None
    lines = _entry_lines(text)
    out = {}
    problems = []
    for key, entry in db.entries.items():
        fields = {k.lower(): _plain(str(v)) for k, v in entry.fields.items()}
        problems += entry_problems(key, fields, lines.get(key))
        fields["key"] = key
        out[key] = fields
    if problems:
        raise DataError(FILE, problems)
    return out


def references(path: Path | None = None) -> dict[str, dict[str, str]]:
    """All bibliography entries, keyed by citation key (each has title, url, urldate)."""
    p = Path(path) if path else bib_path()
    if not p.is_file():
        raise DataError(FILE, [(None, None, f"the bibliography is missing (expected {p.name})")])
    from .validate import file_digest  # (validate reads this module's checks)

    return _load(str(p), file_digest(p))


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


def source_short(keys: str) -> str:
    """The shortest label that still finds the entry in the bibliography: publisher and date of each key."""
    refs = references()
    labels = []
    for k in split_keys(keys):
        e = refs.get(k, {})
        who = e.get("organization") or e.get("publisher") or e.get("journal") or k
        when = e.get("date") or e.get("year") or ""
        labels.append(f"{who}, {when}" if when else who)
    return "; ".join(dict.fromkeys(labels))
