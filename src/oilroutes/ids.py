"""Deterministic element ids, so that two builds of a chapter give the same bytes.

Folium/branca (map elements), pandas' Styler (table CSS ids) and the chart
renderer (Vega embed divs) each draw a random id for every element they make.
Ids only need to be unique within a page, and each chapter runs in its own
kernel, so a counter hashed to hex is enough: the n-th element of a chapter
gets the same id in every build.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid

_counter = itertools.count()


def next_id(length: int = 32) -> str:
    """The next id of this process, as ``length`` hex digits (at most 64)."""
    return hashlib.sha256(f"oilroutes-element-{next(_counter)}".encode()).hexdigest()[:length]


def reset() -> None:
    """Start counting again (tests use it to compare two runs in one process)."""
    global _counter
    _counter = itertools.count()


def _uuid4() -> uuid.UUID:
    return uuid.UUID(hex=next_id(32))


def install() -> None:
    """Make branca/folium and pandas' Styler take their ids from :func:`next_id` (idempotent)."""
    try:
        import branca.element

        branca.element.Element._generate_id = classmethod(lambda cls: next_id(32))
    except ImportError:  # pragma: no cover - branca comes with folium, a dependency
        pass
    try:
        import pandas.io.formats.style_render as style_render

        style_render.uuid4 = _uuid4
    except ImportError:  # pragma: no cover - jinja2 missing: pandas' Styler is unusable anyway
        pass
