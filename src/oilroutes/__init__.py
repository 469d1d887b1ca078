"""Kazakhstan\x27s oil export routes: data, checks, maps, charts and models for the book.

Importing the package imports nothing heavy: the Sphinx extensions and the steps after Sphinx use only
small parts of it. The modules that make map elements and styled tables (:mod:`oilroutes.maps`,
:mod:`oilroutes.basemap`, :mod:`oilroutes.tables`) install the book's deterministic element ids
(:mod:`oilroutes.ids`) when they are imported.
"""
