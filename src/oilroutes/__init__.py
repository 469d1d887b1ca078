"""Kazakhstan\x27s oil export routes: data, checks, maps, charts and models for the book."""

from . import ids as _ids

_ids.install()  # the same element ids in every build, so pages are byte-identical
