"""Kazakhstan\x27s oil export routes: data, checks, maps, charts and models for the book."""
