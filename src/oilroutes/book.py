"""Small helpers chapters use to put computed numbers into the prose (MyST-NB glue)."""

from __future__ import annotations

from collections.abc import Mapping


def glue_all(values: Mapping[str, object]) -> None:
    """Glue each named value for use in the text as {glue:text}`name:.1f` (numbers) or {glue:text}`name` (words).

    Numbers are glued as floats; words (an ordinal, "1 or 2 days") as text that
    prints without quotes. Outside a Jupyter Book build (plain Python, Colab
    without myst-nb) it does nothing.
    """
    try:
        from myst_nb import glue
    except ImportError:  # pragma: no cover - only without myst-nb
        return
    for name, value in values.items():
        glue(name, value if isinstance(value, str) else float(value), display=False)
