"""A small Sphinx extension for the book's build.

Some Jupyter Book 1 extensions (sphinx-thebe, sphinx-togglebutton) register
their inline scripts once per read phase, so a page can carry the same
``const THEBE_JS_URL = ...`` twice, which the browser rejects as a redeclared
constant. This drops exact duplicates from each page's scripts and stylesheets.
"""

from __future__ import annotations


def _dedupe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if not files:
            continue
        seen, kept = set(), []
        for f in files:
            ident = (str(f.filename or ""), tuple(sorted((k, str(v)) for k, v in f.attributes.items())))
            if ident not in seen:
                seen.add(ident)
                kept.append(f)
        files[:] = kept


def setup(app):
    # html-page-context is emitted with emit_firstresult: a handler that returns a
    # template name stops later ones, so this one runs first.
    app.connect("html-page-context", _dedupe, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
