"""A small Sphinx extension for the book's build: lighter, accessible, valid pages.

Everything here works on the built output (or on the page context Sphinx hands
to the theme), never on files of the installed packages:

* Scripts and stylesheets that extensions register twice are dropped once
  (sphinx-thebe and sphinx-togglebutton add their inline scripts per read phase,
  and a redeclared ``const`` is an error in the browser).
* The theme's icon library is not loaded. pydata-sphinx-theme adds
  ``fontawesome.js`` (1.4 MB) and two icon webfonts to every page for about
  fifteen icons; the icons the pages use are drawn instead by a small generated
  stylesheet (``_static/oilroutes-icons.css``), each an SVG mask taken from the
  theme's own copy of Font Awesome (CC BY 4.0), and the icon font rules are cut
  from the theme's stylesheet.
* Accessibility fixes to the theme's markup: search buttons named by what they
  show, decorative icons hidden from assistive technology, the bibliography as
  a plain list (not the deprecated ``doc-biblioentry`` role).
* Keyboard use of chart legends that select: such charts are marked and the page
  loads ``_static/oilroutes-legend-keys.js``, which makes each legend entry a button.
* Valid HTML: unique ids for the exercise directive's sections, well-formed
  map frames (branca writes ``height="520px"style=...`` and quoted boolean
  attributes) whose documents have a language and a title, a description meta
  tag on every page, and a real ``index.html`` instead of a bare redirect line.
* The same page from the same inputs, whether the output folder is new or holds an earlier
  build (sphinx-exercise's stylesheet is in place before the pages link it).
"""

from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path

ICON_CSS = "oilroutes-icons.css"


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


# --- page body -------------------------------------------------------------------------


def _description(doctree, title: str) -> str:
    """The page's first real paragraph, shortened: the search-result summary of the page."""
    from docutils import nodes

    if doctree is not None:
        for para in doctree.findall(nodes.paragraph):
            if any(
                isinstance(a, (nodes.admonition, nodes.topic, nodes.sidebar, nodes.table, nodes.field_list))
                for a in _ancestors(para)
            ):
                continue
            text = " ".join(para.astext().split())
            if len(text) >= 60:
                return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
    return f"{title}: a chapter of Kazakhstan's Oil and the Russian Pipe, an open research book on Kazakh crude export routes."


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _unique_ids(body: str) -> str:
    """sphinx-exercise gives every exercise and solution the same section ids; number them."""
    for ident in ("exercise-content", "solution-content"):
        count = 0

        def number(_m, ident=ident):
            nonlocal count
            count += 1
            return f'id="{ident}"' if count == 1 else f'id="{ident}-{count}"'

        body = re.sub(rf'id="{ident}"', number, body)
    return body


_IFRAME = re.compile(r'<iframe ((?:title|aria-label)="[^"]*" )*srcdoc="([^"]*)"(.*?)>\s*</iframe>', re.S)


def _fix_frame_doc(doc: str, title: str) -> str:
    """A map frame's own document: a language, a title, a viewport that lets readers zoom."""
    doc = re.sub(r"<html>", '<html lang="en">', doc, count=1)
    if "<title>" not in doc:
        doc = doc.replace("<head>", f"<head>\n<title>{htmlmod.escape(title)}</title>", 1)
    doc = re.sub(
        r'<meta name="viewport" content="[^"]*"\s*/?>',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        doc,
    )
    return doc


def _fix_iframes(body: str) -> str:
    def fix(m):
        head = m.group(0)
        title = re.search(r'title="([^"]*)"', head)
        title = htmlmod.unescape(title.group(1)) if title else "Interactive map"
        doc = _fix_frame_doc(htmlmod.unescape(m.group(2)), title)
        rest = m.group(3)
        width = re.search(r'width="([^"]*)"', rest)
        height = re.search(r'height="([^"]*)"', rest)
        style = "border:none;width:100%;display:block"
        if height:
            style += f";height:{height.group(1)}"
        elif re.search(r"position:absolute", rest):
            style += ";position:absolute;height:100%;left:0;top:0"
        attrs = [f'title="{htmlmod.escape(title, quote=True)}"']
        attrs.append(f'srcdoc="{htmlmod.escape(doc, quote=True)}"')
        if width and not width.group(1).endswith("%"):
            style += f";max-width:{width.group(1)}"
        attrs.append(f'style="{style}"')
        attrs.append("allowfullscreen")
        return "<iframe " + " ".join(attrs) + "></iframe>"

    return _IFRAME.sub(fix, body)


def _fix_bibliography(body: str) -> str:
    # sphinxcontrib-bibtex: role="list" holding role="doc-biblioentry" (deprecated in ARIA 1.2,
    # and not a list item, so the list has no items). Each entry is a list item instead.
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


_PANDAS_STYLE = re.compile(
    r"<style( scoped)?>\s*\.dataframe tbody tr th:only-of-type \{\s*vertical-align: middle;\s*\}\s*"
    r"\.dataframe tbody tr th \{\s*vertical-align: top;\s*\}\s*\.dataframe thead th \{\s*text-align: right;\s*\}\s*</style>\s*"
)


def _scoped_style(body: str) -> str:
    # pandas puts a <style scoped> block before every table it shows: "scoped" is obsolete,
    # and a style in the body may not reach elements before it. The same rules live in
    # _static/oilroutes.css; other <style> blocks only lose the obsolete attribute.
    return _PANDAS_STYLE.sub("", body).replace("<style scoped>", "<style>")


def _summaries(body: str) -> str:
    # myst-nb names its show/hide toggles "Toggle hidden content" while they show
    # "Show code cell output": the visible words are the better name (WCAG 2.5.3).
    return body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


_CHART = re.compile(
    r'<div id="(vis-[0-9a-f]+)" class="oilroutes-chart"([^>]*)></div>\s*<script[^>]*>(.*?)</script>', re.S
)


def _legend_keys(body: str, pathto) -> str:
    """Mark charts whose legend selects (``"bind":"legend"`` in the spec) and load the keyboard helper once."""
    marked = False

    def mark(m):
        nonlocal marked
        if '"bind":"legend"' not in m.group(3) or "data-legend-keys" in m.group(2):
            return m.group(0)
        marked = True
        return m.group(0).replace(m.group(2) + "></div>", m.group(2) + " data-legend-keys></div>", 1)

    body = _CHART.sub(mark, body)
    if marked:
        body += f'\n<script defer src="{pathto("_static/oilroutes-legend-keys.js", 1)}"></script>\n'
    return body


def _page(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body:
        body = _summaries(_scoped_style(_fix_bibliography(_fix_iframes(_unique_ids(body)))))
        context["body"] = _legend_keys(body, context["pathto"])
    title = re.sub(r"<[^>]+>", "", context.get("title") or "")
    desc = _description(doctree, htmlmod.unescape(title))
    context["metatags"] = (
        context.get("metatags") or ""
    ) + f'\n    <meta name="description" content="{htmlmod.escape(desc, quote=True)}" />'


# --- whole pages after writing ----------------------------------------------------------

_FA_SCRIPT = re.compile(r'\s*<script defer src="[^"]*scripts/fontawesome\.js[^"]*"></script>')
_ICON = re.compile(r'<(i|span) class="([^"]*\bfa-[^"]*)"([^>]*)>')


def _fix_icon(m):
    tag, classes, rest = m.group(1), m.group(2), m.group(3)
    rest = re.sub(r'\s+title="[^"]*"', "", rest)
    if "aria-hidden" not in rest:
        rest += ' aria-hidden="true"'
    return f'<{tag} class="{" ".join(classes.split())}"{rest}>'


def _fix_page_html(text: str) -> str:
    text = _FA_SCRIPT.sub("", text)
    text = _ICON.sub(_fix_icon, text)
    # the visible text of the search buttons is "Search Ctrl+K"; their name says the same
    text = text.replace('title="Search" aria-label="Search"', 'title="Search" aria-label="Search Ctrl+K"')
    # pydata-sphinx-theme writes the viewport twice; one is enough
    text = text.replace(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    )
    text = re.sub(r'\n\s*<meta name="viewport" content="width=device-width, initial-scale=1"/>', "", text)
    return text


_FA_ICON_DEF = re.compile(
    r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+",("[^"]*"|\[[^\]]*\])\]'
)


def icon_css(fontawesome_js: str, used: set[tuple[str, str]]) -> str:
    """CSS drawing each used icon as an SVG mask in the current text colour.

    ``used`` holds (style, name) pairs, style "solid" or "brands". Font Awesome's
    script holds the brands pack first and the solid pack last, so brands take
    the first definition of a name and solid the last.
    """
    defs: dict[str, list[tuple[int, int, str]]] = {}
    for m in _FA_ICON_DEF.finditer(fontawesome_js):
        name = m.group(1) or m.group(2)
        path = m.group(5)
        path = path.strip('"') if path.startswith('"') else re.findall(r'"([^"]*)"', path)[-1]
        defs.setdefault(name, []).append((int(m.group(3)), int(m.group(4)), path))
    rules = [
        "/* Icons from Font Awesome Free 6 (CC BY 4.0, https://fontawesome.com/license/free), as SVG masks. */",
        '.fa-solid::before,.fas::before,.fa-brands::before,.fab::before{content:"";display:inline-block;'
        "width:var(--oilroutes-icon-w,1em);height:1em;vertical-align:-0.125em;background-color:currentColor;"
        "-webkit-mask:var(--oilroutes-icon) center/contain no-repeat;mask:var(--oilroutes-icon) center/contain no-repeat}",
    ]
    for style, name in sorted(used):
        if name not in defs:
            continue
        w, h, path = defs[name][0 if style == "brands" else -1]
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}'><path d='{path}'/></svg>"
        url = 'url("data:image/svg+xml,' + svg.replace("#", "%23").replace('"', "'") + '")'
        rules.append(f".fa-{name}{{--oilroutes-icon:{url};--oilroutes-icon-w:{w / h:.3f}em}}")
    return "\n".join(rules) + "\n"


_FA_GLYPH_RULES = re.compile(r'(?<=[}\n])(?:\.fa-[a-z0-9-]+:before,)*\.fa-[a-z0-9-]+:before\{content:"[^"]*"\}')
_FA_FONT_FACE = re.compile(r"@font-face\{font-display:block;font-family:Font Awesome[^}]*\}")


def _trim_theme_css(path: Path) -> None:
    """Cut the icon font from the theme's stylesheet: its @font-face rules and its glyph rules (one per icon)."""
    if path.is_file():
        css = path.read_text(encoding="utf8")
        trimmed = _FA_GLYPH_RULES.sub("", _FA_FONT_FACE.sub("", css))
        if trimmed != css:
            path.write_text(trimmed, encoding="utf8")


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ICON_VAR = re.compile(r'(--pst-[a-z-]+):(?:"([^"]*)"|var\((--pst-[a-z-]+)\))')


def pseudo_icon_css(theme_css: list[str], glyphs: dict[tuple[str, int], tuple[int, int, str]]) -> str:
    """Masks for the theme's own icon pseudo-elements (admonition titles, download and external links...).

    The theme draws these with the icon font: ``content: var(--pst-icon-...)`` or a glyph, in
    ``font: var(--fa-font-solid)``. Each such rule gets the same glyph as an SVG mask instead.
    ``glyphs`` maps (pack, code point) to (width, height, path).
    """
    values: dict[str, str] = {}
    links: dict[str, str] = {}
    for css in theme_css:
        for name, char, ref in _ICON_VAR.findall(css):
            if char:
                values[name] = char
            else:
                links[name] = ref
    for name, first in links.items():
        ref, seen = first, 0
        while ref in links and seen < 5:
            ref, seen = links[ref], seen + 1
        if ref in values:
            values[name] = values[ref]
    rules = []
    for css in theme_css:
        brands_selectors = set()
        for sel, decl in _RULE.findall(css):
            if "--fa-font-brands" in decl:
                brands_selectors |= {x.strip() for x in sel.split(",")}
        for raw_sel, decl in _RULE.findall(css):
            sel = raw_sel.strip()
            if sel.startswith((".fa-", "/*", "@")) or "content:" not in decl:
                continue
            m = re.search(r'content:(?:var\((--pst-[a-z-]+)\)|"(\\f[0-9a-f]{3}|[\ue000-\uf8ff])")', decl)
            if not m:
                continue
            char = values.get(m.group(1)) if m.group(1) else m.group(2)
            if not char:
                continue
            code = int(char[1:], 16) if char.startswith("\\") else ord(char)
            pack = "brands" if any(x.strip() in brands_selectors for x in sel.split(",")) else "solid"
            if (pack, code) not in glyphs:
                continue
            w, h, path = glyphs[(pack, code)]
            # a glyph sits in the middle of its line box; the mask box starts at its top
            shift = "margin-top:.25rem;" if "admonition-title:after" in sel else ""
            rules.append(
                f'{sel}{{content:"";display:inline-block;width:{w / h:.3f}em;height:1em;vertical-align:-0.125em;'
                f"background-color:currentColor;-webkit-mask:{_svg_url(w, h, path)} center/contain no-repeat;"
                f"mask:{_svg_url(w, h, path)} center/contain no-repeat;{shift}}}"
            )
    return "\n".join(rules) + "\n"


def _svg_url(w: int, h: int, path: str) -> str:
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}'><path d='{path}'/></svg>"
    return 'url("data:image/svg+xml,' + svg.replace("#", "%23").replace('"', "'") + '")'


def glyph_table(fontawesome_js: str) -> dict[tuple[str, int], tuple[int, int, str]]:
    """(pack, code point) -> (width, height, path) from Font Awesome's script (brands first, solid last)."""
    out: dict[tuple[str, int], tuple[int, int, str]] = {}
    for m in _FA_ICON_CODE.finditer(fontawesome_js):
        w, h, code, path = int(m.group(1)), int(m.group(2)), int(m.group(3), 16), m.group(4)
        path = path.strip('"') if path.startswith('"') else re.findall(r'"([^"]*)"', path)[-1]
        out.setdefault(("brands", code), (w, h, path))  # first definition
        out[("solid", code)] = (w, h, path)  # last definition
    return out


_FA_ICON_CODE = re.compile(r':\[(\d+),(\d+),\[[^\]]*\],"([0-9a-f]+)",("[^"]*"|\[[^\]]*\])\]')


def _index_page(app) -> str:
    first = app.config.root_doc + app.builder.out_suffix
    title = htmlmod.escape(app.config.html_title or app.config.project)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{title}: an open research book on how Kazakhstan exports its crude, the CPC disruptions and the BTC alternative.">
<link rel="icon" href="_static/{Path(app.config.html_favicon or "favicon.svg").name}">
<link rel="canonical" href="{first}">
<meta http-equiv="refresh" content="0; url={first}">
</head>
<body>
<p><a href="{first}">{title}: start reading</a></p>
</body>
</html>
"""


def _theme_file(app, built: Path) -> Path:
    """The theme's own copy of a file it puts in ``_static`` (the built copy if the theme has none)."""
    rel = built.relative_to(Path(app.outdir) / "_static")
    for theme_dir in app.builder.theme.get_theme_dirs():
        source = Path(theme_dir) / "static" / rel
        if source.is_file():
            return source
    return built


def _exercise_css_first(app):
    """Put sphinx-exercise's stylesheet in ``_static`` before the pages are written.

    The extension copies it only when the build has finished, and Sphinx gives a stylesheet's link its
    ``?v=`` checksum only if the file is already in the output: so a clean build linked ``exercise.css``
    bare and a build over an earlier one linked it with a checksum, and the same inputs gave two pages.
    """
    if app.builder.format != "html" or "sphinx_exercise" not in app.extensions:
        return
    from sphinx.util.fileutil import copy_asset

    source = Path(app.extensions["sphinx_exercise"].module.__file__).parent / "assets" / "html" / "exercise.css"
    copy_asset(str(source), str(Path(app.outdir) / "_static"))


def _finish(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    used: set[tuple[str, str]] = set()
    for page in out.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf8")
        fixed = _fix_page_html(text)
        for classes in re.findall(r'<(?:i|span) class="([^"]*\bfa-[^"]*)"', fixed):
            parts = classes.split()
            style = "brands" if ("fab" in parts or "fa-brands" in parts) else "solid"
            used |= {
                (style, c[3:]) for c in parts if c.startswith("fa-") and c not in {"fa-solid", "fa-brands", "fa-lg"}
            }
        if fixed != text:
            page.write_text(fixed, encoding="utf8")
    fa = out / "_static" / "scripts" / "fontawesome.js"
    theme = [out / "_static" / "styles" / n for n in ("pydata-sphinx-theme.css", "sphinx-book-theme.css")]
    if fa.is_file():
        js = fa.read_text(encoding="utf8")
        # read from the themes as installed: the built copies may still hold the last build's
        # cut (oilroutes.cssprune) when Sphinx had nothing to write and copied nothing
        css = [t.read_text(encoding="utf8") for t in (_theme_file(app, t) for t in theme) if t.is_file()]
        (out / "_static" / ICON_CSS).write_text(
            icon_css(js, used) + pseudo_icon_css(css, glyph_table(js)), encoding="utf8"
        )
    _trim_theme_css(theme[0])
    (out / "index.html").write_text(_index_page(app), encoding="utf8")
    # not in the book's _static/, whose scripts Jupyter Book adds to every page
    (out / "_static" / "oilroutes-legend-keys.js").write_bytes((Path(__file__).parent / "legend_keys.js").read_bytes())


def setup(app):
    # html-page-context is emitted with emit_firstresult: a handler that returns a
    # template name stops later ones, so these run first.
    app.connect("html-page-context", _dedupe, priority=100)
    app.connect("html-page-context", _page, priority=110)
    # after sphinx-external-toc, which writes a one-line redirect as index.html
    app.connect("build-finished", _finish, priority=900)
    app.connect("builder-inited", _exercise_css_first)
    app.add_css_file(ICON_CSS)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
