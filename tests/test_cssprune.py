"""The theme's stylesheets lose only rules that no page can use, and the pages look the same.

The first tests take small stylesheets through the pruner. The browser tests use the
built book: every selector the pruner cut must match no element of any page, also
once the readers' clicks and the scripts have added their states (sidebars, search
dialog, menus, tooltips, solutions, chart menus, a scrolled page); and two pages,
rendered with the pruned and with the original stylesheets, compute the same style for
every element and give the same screenshot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import settle

from oilroutes import cssprune
from oilroutes.cssprune import Used, add_script, bare, prune

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ORIGINALS = ROOT / "_build" / "unpruned-css"


def _used(classes=(), ids=(), js=""):
    used = Used(classes=set(classes), ids=set(ids))
    add_script(used, js)
    return used


# --- the pruner on small stylesheets -----------------------------------------------------


def test_rules_for_names_no_page_has_are_cut_and_the_rest_kept_as_written():
    css = (
        ":root{--x:1}\nhtml,body{margin:0}\n.used{color:red}\n.unused{color:blue}\n"
        ".used .unused{color:green}\n#here>p{margin:0}\n#gone{margin:0}\n"
        ".unused,.used:hover{color:black}\n.used:not(.unused)::before{content:'{'}\n"
    )
    out = prune(css, _used(classes={"used"}, ids={"here"}))
    assert out == (
        ":root{--x:1}\nhtml,body{margin:0}\n.used{color:red}\n#here>p{margin:0}\n"
        ".used:hover{color:black}\n.used:not(.unused)::before{content:'{'}\n"
    )


def test_states_that_scripts_name_or_assemble_are_kept():
    js = 'e.classList.add("show");t.dataset.mode="dark";x.className=`bs-${n}-auto`;y=`.${this.NAME}-arrow`'
    css = (
        ".fade.show{opacity:1}.bs-tooltip-auto{top:0}.tooltip-arrow{left:0}"
        "html[data-mode=dark] .x{color:red}.x{color:blue}.never{color:green}"
    )
    out = prune(css, _used(classes={"x", "fade"}, js=js))
    assert out == css.replace(".never{color:green}", "")


def test_at_rules_are_kept_and_emptied_groups_go():
    css = (
        '@charset "UTF-8";@font-face{font-family:X;src:url(x.woff2)}@keyframes spin{from{top:0}to{top:1px}}'
        "@media (min-width:960px){.used{top:0}.unused{top:1px}}@media print{.unused{top:0}}"
        "@supports (display:grid){@media screen{.unused{top:0}}}"
    )
    out = prune(css, _used(classes={"used"}))
    assert out == (
        '@charset "UTF-8";@font-face{font-family:X;src:url(x.woff2)}@keyframes spin{from{top:0}to{top:1px}}'
        "@media (min-width:960px){.used{top:0}}"
    )


def test_a_list_with_a_vendor_pseudo_element_stays_whole_or_goes_whole():
    # Chromium drops a whole rule naming ::-moz-...; cutting one selector must not revive it
    css = ".used::-moz-range-thumb,.unused::-webkit-slider-thumb{top:0}.unused::-moz-x,.gone::x{top:1px}"
    assert prune(css, _used(classes={"used"})) == ".used::-moz-range-thumb,.unused::-webkit-slider-thumb{top:0}"


def test_escaped_names_and_strings_with_braces():
    css = '.sd-w-\\[50\\%\\]{width:50%}.a[title="}{"]{top:0}.b::after{content:"}"}'
    assert prune(css, _used(classes={"sd-w-[50%]", "a", "b"})) == css
    assert prune(css, _used()) == ""


def test_the_installed_theme_stylesheet_is_written_back_unchanged_when_everything_is_used():
    import pydata_sphinx_theme

    css_path = next(Path(pydata_sphinx_theme.__file__).parent.rglob("pydata-sphinx-theme.css"))
    css = css_path.read_text(encoding="utf-8")

    class Everything(Used):
        def could_match(self, selector):
            return True

    assert prune(css, Everything()) == css
    assert len(prune(css, _used())) < len(css) / 3


def test_bare_selectors_keep_their_names():
    assert bare(".a > :hover") == ".a > *"
    assert bare("html[data-theme=dark] .x:not(.y)::before") == "html[data-theme=dark] .x"
    assert bare("::selection") == "*"


# --- the built book --------------------------------------------------------------------


def _selectors(css: str) -> set[str]:
    def walk(items):
        for item in items:
            if isinstance(item, cssprune.Group):
                yield from walk(item.children)
            elif isinstance(item, cssprune.Rule):
                yield from (s.strip() for s in cssprune.split_list(item.selector))

    return set(walk(cssprune.parse(css)))


@pytest.fixture(scope="module")
def cut(built_book):
    """Every selector the build cut, without its pseudo-classes and pseudo-elements."""
    assert ORIGINALS.is_dir(), "the build keeps the stylesheets as they were in _build/unpruned-css"
    cut = set()
    for original in ORIGINALS.rglob("*.css"):
        name = original.relative_to(ORIGINALS)
        cut |= _selectors(original.read_text(encoding="utf-8")) - _selectors(
            (HTML / "_static" / name).read_text(encoding="utf-8")
        )
    assert len(cut) > 1000, "the pruner cut almost nothing"
    return sorted({bare(s) for s in cut} - {"*"})


MATCHING = """(selectors) => selectors.filter(s => {
  try { return document.querySelector(s) !== null; } catch (e) { return false; }
})"""
VALID = """(selectors) => selectors.filter(s => { try { document.querySelector(s); return true; } catch (e) { return false; } })"""


def _open(browser, url, width=1280, mode="light", originals=False):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    if originals:  # serve the stylesheets as they were before pruning

        def original(route):
            name = route.request.url.split("/_static/", 1)[1].split("?")[0]
            route.fulfill(path=str(ORIGINALS / name), content_type="text/css")

        for css in ORIGINALS.rglob("*.css"):
            ctx.route(f"**/_static/{css.relative_to(ORIGINALS).as_posix()}*", original)
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    settle(page)
    return ctx, page


def _click_visible(page, selector) -> bool:
    for el in page.query_selector_all(selector):
        if el.is_visible():
            el.click()
            page.wait_for_timeout(150)
            return True
    return False


def _states(page):
    """Bring in the states the scripts add, one after another, naming each."""
    yield "as loaded"
    for title in page.query_selector_all(".solution.dropdown .admonition-title"):
        title.scroll_into_view_if_needed()
        title.click()
    yield "solutions open"
    for summary in page.query_selector_all("article details > summary"):
        if summary.is_visible():
            summary.click()
    yield "details open"
    menu = page.query_selector(".vega-embed details > summary")
    if menu:
        menu.scroll_into_view_if_needed()
        menu.click()
        yield "chart menu open"
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(300)
    yield "scrolled"
    if _click_visible(page, ".dropdown-download-buttons button.dropdown-toggle"):
        yield "download menu open"
    page.keyboard.press("Escape")
    mode = page.query_selector(".theme-switch-button")
    if mode and mode.is_visible():
        mode.hover()
        page.wait_for_timeout(400)
        yield "tooltip shown"
        mode.click()
        page.wait_for_timeout(150)
        yield "colour mode switched"
    page.keyboard.press("Control+k")
    page.wait_for_timeout(200)
    page.keyboard.type("pipeline")
    yield "search dialog open"


# A page with maps and charts, one with exercises and the scenario chart, two text pages, and the
# search page with its results: between them every component whose states the scripts add.
STATE_PAGES = [
    "chapters/00_introduction.html",
    "chapters/04_scenarios.html",
    "chapters/bibliography.html",
    "genindex.html",
    "search.html?q=pipeline",
]


def test_no_cut_selector_matches_an_element_in_any_state(browser, server, cut):
    found, valid = [], None
    for name in STATE_PAGES:
        ctx, page = _open(browser, f"{server}/{name}")
        if valid is None:  # whether the browser can parse a selector does not depend on the page
            valid = page.evaluate(VALID, cut)
            assert len(valid) > 0.95 * len(cut), "most cut selectors should be testable in the browser"
        for state in _states(page):
            found += [(name, state, s) for s in page.evaluate(MATCHING, valid)]
        ctx.close()
    ctx, page = _open(browser, f"{server}/chapters/02_cpc_disruptions.html", width=390)
    for toggle in (".primary-toggle", ".secondary-toggle"):
        if _click_visible(page, toggle):
            found += [("02 at 390 px", f"{toggle} open", s) for s in page.evaluate(MATCHING, valid)]
            page.keyboard.press("Escape")
    ctx.close()
    assert not found, f"the pruner cut selectors that match elements: {found[:20]}"


# every element's computed style (custom properties aside) and that of its ::before and ::after (of one
# that is not drawn, only its content), as one line per element and pseudo-element: its label and a 53-bit digest of the values (the values
# themselves, some 30 MB a page, are fetched only for the lines whose digests differ)
STYLES = """(detail) => {
  const base = getComputedStyle(document.documentElement);
  const names = []; for (let i = 0; i < base.length; i++) if (!base[i].startsWith('--')) names.push(base[i]);
  const digest = (str) => { let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < str.length; i++) { const c = str.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761); h2 = Math.imul(h2 ^ c, 1597334677); }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36); };
  const out = [names.join(';')];
  let n = 0;
  for (const el of document.querySelectorAll('*'))
    for (const pseudo of [null, '::before', '::after']) {
      // a ::before or ::after whose content is none (or normal) is not drawn: its content is all that can differ
      const cs = getComputedStyle(el, pseudo), bare = pseudo && (cs.content === 'none' || cs.content === 'normal');
      const values = bare ? 'content: ' + cs.content : names.map(k => cs.getPropertyValue(k)).join(';');
      const label = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + (pseudo || '');
      out.push(label + '\\t' + (detail && detail.includes(n) ? values : digest(values)));
      n++;
    }
  return out;
}"""


def _style_differences(pruned: list[str], original: list[str], details) -> list[str]:
    """The lines whose digests differ, each with its first differing properties (``details`` fetches the
    full values of those lines from both pages)."""
    names = pruned[0].split(";")
    lines = [i for i, (a, b) in enumerate(zip(pruned[1:], original[1:])) if a != b]
    if not lines:
        return []
    full_a, full_b = details(lines)
    found = []
    for i in lines[:20]:
        (label, values_a), values_b = full_a[i + 1].split("\t", 1), full_b[i + 1].split("\t", 1)[1]
        a, b = values_a.split(";"), values_b.split(";")
        if len(a) != len(names) or len(b) != len(names):  # a pseudo-element drawn on one page only
            drawn = [
                f"drawn, content {v[names.index('content')]}" if len(v) == len(names) else "not drawn" for v in (a, b)
            ]
            found.append(f"{label} {drawn[0]} (was {drawn[1]})")
            continue
        props = [f"{n}: {x} (was {y})" for n, x, y in zip(names, a, b) if x != y]
        found.append(f"{label} {'; '.join(props[:3])}")
    return found + [f"... {len(lines) - 20} more"] * (len(lines) > 20)


@pytest.mark.parametrize(
    "name, width, mode",
    [("chapters/04_scenarios.html", 390, "light"), ("chapters/05_conclusions.html", 1280, "dark")],
)
def test_pages_look_the_same_with_the_original_stylesheets(browser, server, built_book, name, width, mode):
    seen, pages = {}, []
    for originals in (False, True):
        ctx, page = _open(browser, f"{server}/{name}", width, mode, originals)
        page.wait_for_timeout(300)
        # the screen as a reader first sees it (a whole-page capture resizes the window, and
        # the charts redraw); the computed styles cover the rest of the page
        seen[originals] = (page.evaluate(STYLES, None), page.screenshot(animations="disabled", caret="hide"))
        pages.append((ctx, page))
    (pruned, pruned_png), (original, original_png) = seen[False], seen[True]
    try:
        assert len(pruned) == len(original) > 1000
        differ = _style_differences(pruned, original, lambda lines: [p.evaluate(STYLES, lines) for _, p in pages])
    finally:
        for ctx, _ in pages:
            ctx.close()
    assert not differ, f"{len(differ)} elements are styled differently, e.g. {differ[:3]}"
    assert pruned_png == original_png, "the page's first screen differs from the one with the original stylesheets"


def test_the_style_comparison_names_what_differs_from_digests_and_fetches_only_those_lines():
    header = "color;width"
    pruned, original = [header, "div.a\tx1", "p\ty1"], [header, "div.a\tx1", "p\ty2"]
    full = ([header, "div.a\tred;10px", "p\tblue;5px"], [header, "div.a\tred;10px", "p\tgreen;5px"])
    asked = []
    assert _style_differences(pruned, original, lambda lines: asked.append(lines) or full) == [
        "p color: blue (was green)"
    ]
    assert asked == [[1]]
    assert _style_differences(pruned, pruned, None) == []
    # a ::before drawn with the original stylesheets only
    header = "color;content"
    pruned, original = [header, "p::before\tz1"], [header, "p::before\tz2"]
    full = ([header, "p::before\tcontent: none"], [header, 'p::before\tred;"§"'])
    assert _style_differences(pruned, original, lambda lines: full) == ['p::before not drawn (was drawn, content "§")']
