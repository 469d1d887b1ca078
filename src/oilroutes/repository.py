"""The book's repository address, set in one place: ``repository.url`` in ``_config.yml``.

Read from there when the book is built: Jupyter Book's repository, Colab and Binder buttons, and
the address in the footer's citation and under every figure (:func:`published_url`: the GitHub
Pages site the workflow publishes to, unless ``html.baseurl`` gives the book another address).

Two copies are read where the configuration is not at hand, so they are written from it:

- each chapter's first, hidden cell, which installs the package when a chapter is opened in Colab or
  Binder (they open the notebook alone, from the repository), and with it the student and teacher
  editions, which copy the chapter's code;
- ``repository-code`` (the repository) and ``url`` (where the book is read) in ``CITATION.cff``, read
  by GitHub's "Cite this repository" and citation tools.

``python -m oilroutes.repository`` (``make repository``) writes the address into both;
``python -m oilroutes.repository https://github.com/owner/name`` first sets it in ``_config.yml``.
``tests/test_repository.py`` fails while any use disagrees with ``_config.yml``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from .paths import repo_root

CONFIG = "_config.yml"
CITATION = "CITATION.cff"
# the address inside the install cell's `%pip install -q "oilroutes @ git+<url>"`, as it stands in the
# notebook's JSON (the quote after it is escaped there)
INSTALL = re.compile(r"(oilroutes @ git\+)([^\"\\\s]+)")
CFF = re.compile(r'^(repository-code:[ \t]*)"?([^"\s]*)"?[ \t]*$', re.M)
CFF_URL = re.compile(r'^(url:[ \t]*)"?([^"\s]*)"?[ \t]*$', re.M)
CONFIG_URL = re.compile(r"^(repository:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*)(\S+)", re.M)
ADDRESS = re.compile(r"https://[\w.-]+/[\w.-]+/[\w.-]+")


def url(root: Path | None = None) -> str:
    """``repository.url`` from ``_config.yml``, without a trailing slash."""
    root = root or repo_root()
    config = yaml.safe_load((root / CONFIG).read_text(encoding="utf-8"))
    value = str(((config or {}).get("repository") or {}).get("url") or "").rstrip("/")
    if not ADDRESS.fullmatch(value):
        raise ValueError(
            f"{CONFIG}: repository.url must be an address like https://github.com/owner/name, got {value!r}"
        )
    return value


def published_url(root: Path | None = None) -> str:
    """Where the book is read: ``html.baseurl`` if set; for a GitHub repository, the GitHub Pages site
    that ``.github/workflows/book.yml`` publishes it to (``https://owner.github.io/name``); else the repository."""
    root = root or repo_root()
    config = yaml.safe_load((root / CONFIG).read_text(encoding="utf-8")) or {}
    base = str((config.get("html") or {}).get("baseurl") or "").rstrip("/")
    if base:
        return base
    address = url(root)
    github = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", address)
    return f"https://{github.group(1).lower()}.github.io/{github.group(2)}" if github else address


def install_command(address: str) -> str:
    """The install cell's command for a repository address."""
    return f'%pip install -q "oilroutes @ git+{address}"'


def notebooks(root: Path | None = None) -> list[Path]:
    """Every chapter notebook (each has the install cell)."""
    return sorted((root or repo_root()).joinpath("chapters").glob("*.ipynb"))


def uses(root: Path | None = None) -> dict[str, list[str]]:
    """Every place the repository's address is written, by file (relative to the repository), with what is there."""
    root = root or repo_root()
    out = {
        p.relative_to(root).as_posix(): [m.group(2) for m in INSTALL.finditer(p.read_text(encoding="utf-8"))]
        for p in notebooks(root)
    }
    out[CITATION] = [m.group(2) for m in CFF.finditer((root / CITATION).read_text(encoding="utf-8"))]
    return out


def problems(root: Path | None = None) -> list[str]:
    """Each place whose address is not ``_config.yml``'s (or that has none, or several); empty when all agree."""
    root = root or repo_root()
    address, out = url(root), []
    for place, found in uses(root).items():
        if found != [address]:
            out.append(f"{place}: {found or 'no address'}, not {CONFIG}'s {address}")
    cited = [m.group(2) for m in CFF_URL.finditer((root / CITATION).read_text(encoding="utf-8"))]
    if cited != [published_url(root)]:
        out.append(f"{CITATION}: url {cited or 'missing'}, not the book's address {published_url(root)}")
    return out


def write(root: Path | None = None) -> list[Path]:
    """Write ``_config.yml``'s address into every chapter's install cell and ``CITATION.cff``; return the files changed."""
    root = root or repo_root()
    address, published = url(root), published_url(root)
    changed = []
    edits = [(p, [(INSTALL, address, "")]) for p in notebooks(root)]
    edits.append((root / CITATION, [(CFF, address, '"'), (CFF_URL, published, '"')]))
    for path, subs in edits:
        text = new = path.read_text(encoding="utf-8")
        for pattern, value, quote in subs:
            new = pattern.sub(lambda m, v=value, q=quote: f"{m.group(1)}{q}{v}{q}", new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def set_url(address: str, root: Path | None = None) -> list[Path]:
    """Set ``repository.url`` in ``_config.yml`` (its comments and layout kept), then write it everywhere."""
    root = root or repo_root()
    address = address.rstrip("/")
    if not ADDRESS.fullmatch(address):
        raise ValueError(f"not a repository address like https://github.com/owner/name: {address!r}")
    path = root / CONFIG
    text = path.read_text(encoding="utf-8")
    if not CONFIG_URL.search(text):
        raise ValueError(f"{CONFIG} has no repository: url: entry to set")
    new = CONFIG_URL.sub(lambda m: m.group(1) + address, text, count=1)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return ([path] if new != text else []) + write(root)


if __name__ == "__main__":  # pragma: no cover
    files = set_url(sys.argv[1]) if len(sys.argv) > 1 else write()
    print(f"repository: {url()}")
    for f in files:
        print(f"  wrote {f}")
