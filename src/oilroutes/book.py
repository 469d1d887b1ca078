"""Small helpers chapters use to put computed numbers into the prose (MyST-NB glue)."""

from __future__ import annotations

from collections.abc import Mapping

#: The prefix under which MyST-NB reads a value glued without being shown (``glue(..., display=False)``).
GLUE_PREFIX = "application/papermill.record/"


def glue_all(values: Mapping[str, object]) -> None:
    """Glue each named value for use in the text as {glue:text}`name:.1f` (numbers) or {glue:text}`name` (words).

    Numbers are glued as floats; words (an ordinal, "1 or 2 days") as text that
    prints without quotes. Outside a Jupyter Book build (plain Python, Colab
    without myst-nb) it does nothing.

    Each value is displayed exactly as ``myst_nb.glue(name, value, display=False)``
    displays it (a test compares the two), without importing ``myst_nb.ext.glue``:
    that module imports nbformat and its JSON-schema validators, which a chapter's
    kernel otherwise never needs.
    """
    try:
        import myst_nb  # noqa: F401  (only where MyST-NB can read what is glued)
    except ImportError:  # pragma: no cover - only without myst-nb
        return
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    for name, value in values.items():
        bundle, metadata = format_display_data(value if isinstance(value, str) else float(value))
        metadata["scrapbook"] = dict(name=name, mime_prefix=GLUE_PREFIX)
        display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
