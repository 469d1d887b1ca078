"""Cut from the theme's stylesheets the rules that no page of the book can use.

pydata-sphinx-theme ships all of Bootstrap and styles for every feature of every
site that uses it; the book uses a small part. Every page loads these
stylesheets, so each rule that cannot match any element of any page is weight
for nothing. :func:`prune_book` removes such rules from the built copies in
``_build/html/_static`` (never from the installed packages).

A selector is kept when it *could* match, judged by its class names and ids
alone, and so errs on the side of keeping:

* Every class and id in it occurs on some element of some built page, or
  anywhere in the text of a script that a page loads or names (the theme's,
  Bootstrap's, the extensions', the book's, the chart libraries', and the pages'
  inline scripts). A script that adds a state class or builds an element from a
  template names it, so such states stay: ``show``, ``collapsing``, ``active``,
  the search dialog, the sidebars, tooltips, dropdowns, the toggle buttons.
* A name that a script assembles from a piece of string (``"bs-" + name``,
  ```${name}-arrow```) is kept when it starts or ends with that piece.
* Pseudo-classes and pseudo-elements are set aside, and so are the arguments of
  ``:not()``, ``:is()``, ``:where()`` and ``:has()``.
* Element and attribute names and attribute values are never judged: a browser
  adds ``tbody`` and sets ``open`` on a ``details`` it opens, and scripts create
  elements and set ``aria-expanded``, ``data-theme`` or ``data-mode``
  (``[data-theme=dark]`` is how the dark colour mode is styled).

Rules are removed whole, or a selector list loses the selectors that cannot
match; a list holding a vendor-prefixed pseudo-class or pseudo-element (which
makes the whole rule invalid in other browsers) is kept or dropped whole, so no
rule that a browser used to ignore starts to apply. ``@font-face``,
``@keyframes``, ``@import``, ``@charset`` and every other at-rule without rules
inside are kept as they are; ``@media`` and ``@supports`` blocks lose what their
rules lose, and go when they are empty. What is kept is written byte for byte
as it was, in the same order; what goes matched no element, so no element's
cascade changes.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

# The stylesheets that are pruned, relative to _build/html/_static: the theme's, the
# extensions', and the icon masks generated from the theme's selectors. The book's own
# oilroutes.css stays as written; leaflet.css is used inside the map frames.
PRUNED = (
    "basic.css",
    "styles/pydata-sphinx-theme.css",
    "styles/sphinx-book-theme.css",
    "pygments.css",
    "togglebutton.css",
    "copybutton.css",
    "mystnb.*.css",
    "sphinx-thebe.css",
    "exercise.css",
    "sphinx-design.min.css",
    "oilroutes-icons.css",
)

_GROUPS = {"media", "supports", "container", "layer", "document", "-moz-document"}


# --- scanning a stylesheet -----------------------------------------------------------


@dataclass
class Rule:
    lead: int  # where the whitespace before it starts
    start: int
    end: int  # after the closing brace
    selector: str
    body: int  # index of the opening brace


@dataclass
class Group:
    lead: int
    start: int
    end: int
    body: int  # index of the opening brace
    children: list = field(default_factory=list)


@dataclass
class Raw:
    lead: int
    start: int
    end: int


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _skip_comment(css: str, i: int) -> int:
    j = css.find("*/", i + 2)
    return len(css) if j < 0 else j + 2


def _chars(css: str, i: int):
    """(index, character) from i on, stepping over strings, comments and escaped characters."""
    while i < len(css):
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
        elif css.startswith("/*", i):
            i = _skip_comment(css, i)
        elif c == "\\":
            i += 2
        else:
            yield i, c
            i += 1


def _find(css: str, i: int, stops: str) -> int:
    """Index of the first of ``stops`` at bracket depth 0 from i, past strings, comments and escapes."""
    depth = 0
    for j, c in _chars(css, i):
        if depth == 0 and c in stops:
            return j
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
    return len(css)


def _close(css: str, i: int) -> int:
    """Index of the brace closing the one at i."""
    depth = 0
    for j, c in _chars(css, i):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError(f"unclosed block at offset {i}")


def parse(css: str, i: int = 0, end: int | None = None) -> list:
    """The rules, groups (@media, @supports...) and other items of a stylesheet, as offsets into it."""
    end = len(css) if end is None else end
    items: list = []
    while i < end:
        lead = i
        while i < end and css[i].isspace():
            i += 1
        if i >= end:
            break
        if css.startswith("/*", i):
            j = _skip_comment(css, i)
            items.append(Raw(lead, i, j))
            i = j
            continue
        j = _find(css, i, "{;}")
        if j >= end or css[j] == "}":
            raise ValueError(f"unexpected end of block at offset {j}")
        if css[j] == ";":  # @import, @charset, @layer a, b;
            items.append(Raw(lead, i, j + 1))
            i = j + 1
            continue
        close = _close(css, j)
        prelude = css[i:j].strip()
        if prelude.startswith("@"):
            name = re.match(r"@([-\w]+)", prelude).group(1).lower()
            if name in _GROUPS:
                items.append(Group(lead, i, close + 1, j, parse(css, j + 1, close)))
            else:  # @font-face, @keyframes, @page, @property...: kept as they are
                items.append(Raw(lead, i, close + 1))
        elif _find(css, j + 1, "{") < close:  # nested rules (CSS nesting): kept as they are
            items.append(Raw(lead, i, close + 1))
        else:
            items.append(Rule(lead, i, close + 1, css[i:j], j))
        i = close + 1
    return items


def split_list(selector: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, i = [], 0
    while True:
        j = _find(selector, i, ",")
        parts.append(selector[i:j])
        if j >= len(selector):
            return parts
        i = j + 1


# --- what a selector needs -------------------------------------------------------------

_IDENT_CHAR = re.compile(r"[\w\-\u0080-\uffff]")


def _ident(s: str, i: int) -> tuple[str, int]:
    """The CSS identifier starting at i, its escapes resolved, and the index after it."""
    out = []
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            m = re.match(r"[0-9a-fA-F]{1,6}\s?", s[i + 1 :])
            if m:
                out.append(chr(int(m.group(0).strip(), 16)))
                i += 1 + len(m.group(0))
            else:
                out.append(s[i + 1])
                i += 2
        elif _IDENT_CHAR.match(c):
            out.append(c)
            i += 1
        else:
            break
    return "".join(out), i


def needs(selector: str) -> tuple[set[str], set[str]]:
    """The class names and ids a selector needs on a page, pseudo-classes and their arguments set aside."""
    classes, ids, s, i = set(), set(), selector, 0
    while i < len(s):
        c = s[i]
        if c in "\"'":
            i = _skip_string(s, i)
        elif s.startswith("/*", i):
            i = _skip_comment(s, i)
        elif c == "\\":
            i += 2
        elif c == "." and not (i + 1 < len(s) and s[i + 1].isdigit()):
            name, i = _ident(s, i + 1)
            classes.add(name)
        elif c == "#":
            name, i = _ident(s, i + 1)
            ids.add(name)
        elif c == "[":  # attribute selectors are not judged
            i = _find(s, i + 1, "]") + 1
        elif c == ":":
            i += 2 if s.startswith("::", i) else 1
            _, i = _ident(s, i)
            if i < len(s) and s[i] == "(":
                i = _find(s, i + 1, ")") + 1
        else:  # element names, combinators, whitespace, *, &
            i += 1
    return classes, ids


def bare(selector: str) -> str:
    """The selector without its pseudo-classes and pseudo-elements (and their arguments).

    It matches an element whenever the selector could, in some state, and it names the
    same classes and ids; an emptied compound becomes ``*`` (``.a > :hover`` -> ``.a > *``).
    """
    out, s, i = [], selector.strip(), 0
    while i < len(s):
        c = s[i]
        if c in "\"'":
            j = _skip_string(s, i)
            out.append(s[i:j])
            i = j
        elif c == "[":
            j = _find(s, i + 1, "]") + 1
            out.append(s[i:j])
            i = j
        elif c == "\\":
            out.append(s[i : i + 2])
            i += 2
        elif c == ":":
            i += 2 if s.startswith("::", i) else 1
            _, i = _ident(s, i)
            if i < len(s) and s[i] == "(":
                i = _find(s, i + 1, ")") + 1
            prev = "".join(out).rstrip(" ")
            if not prev or prev[-1] in ">+~" or "".join(out).endswith(" "):
                out.append("*")
        else:
            out.append(c)
            i += 1
    return "".join(out).strip()


_VENDOR_PSEUDO = re.compile(r"::?-[a-zA-Z]")


@dataclass
class Used:
    """Class names and ids that occur on the pages, and the words of the scripts they load."""

    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # every word of the scripts
    prefixes: set[str] = field(default_factory=set)  # "bs-" in "bs-" + name
    suffixes: set[str] = field(default_factory=set)  # "-arrow" in `${name}-arrow`

    def _scripted(self, name: str) -> bool:
        return (
            name in self.words
            or any(name.startswith(p) for p in self.prefixes)
            or any(name.endswith(x) for x in self.suffixes)
        )

    def could_match(self, selector: str) -> bool:
        classes, ids = needs(selector)
        return all(c in self.classes or self._scripted(c) for c in classes) and all(
            i in self.ids or self._scripted(i) for i in ids
        )


# --- what the pages and scripts use --------------------------------------------------------


class _PageNames(html.parser.HTMLParser):
    def __init__(self, used: Used, scripts: list[str]):
        super().__init__(convert_charrefs=True)
        self.used, self.scripts, self._in_script = used, scripts, False

    def handle_starttag(self, tag, attrs):
        u = self.used
        for name, value in attrs:
            if name == "class" and value:
                u.classes.update(value.split())
            elif name == "id" and value:
                u.ids.add(value)
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_script = False

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


_WORD = re.compile(r"[A-Za-z_][\w-]*")
_PREFIX = re.compile(r"([A-Za-z_][\w-]*-)(?:[\"'`]|\$\{)")
_SUFFIX = re.compile(r"(?:[\"'`]|\})(-[\w-]*\w)")


def add_script(used: Used, js: str) -> None:
    used.words.update(_WORD.findall(js))
    used.prefixes.update(_PREFIX.findall(js))
    used.suffixes.update(_SUFFIX.findall(js))


def pages(html_dir: Path) -> list[Path]:
    """Every page of the built book (not the HTML fragments some packages keep in _static)."""
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.relative_to(html_dir).parts)


def collect(html_dir: Path) -> Used:
    """The names on every page of ``html_dir`` and in every script those pages load or name."""
    used, inline, texts = Used(), [], []
    for page in pages(html_dir):
        text = page.read_text(encoding="utf-8")
        texts.append(text)
        _PageNames(used, inline).feed(text)
    for js in inline:
        add_script(used, js)
    # the scripts a page loads or names (a chart's loader names the chart libraries), and
    # those that such a script names in turn
    named, waiting = "\n".join(texts), sorted(html_dir.rglob("*.js"))
    while True:
        found = [s for s in waiting if s.name in named]
        if not found:
            return used
        for script in found:
            js = script.read_text(encoding="utf-8", errors="replace")
            add_script(used, js)
            named += js
            waiting.remove(script)


# --- pruning ------------------------------------------------------------------------------


def _prune_items(css: str, items: list, used: Used, out: list[str]) -> bool:
    """Append what is kept of ``items`` to ``out``; True if any rule was kept."""
    kept_rule = False
    for item in items:
        if isinstance(item, Raw):
            out.append(css[item.lead : item.end])
        elif isinstance(item, Group):
            inner: list[str] = []
            if _prune_items(css, item.children, used, inner):
                last = item.children[-1].end
                out.append(css[item.lead : item.body + 1] + "".join(inner) + css[last : item.end])
                kept_rule = True
        else:
            selectors = split_list(item.selector)
            keep = [s for s in selectors if used.could_match(s)]
            if not keep:
                continue
            kept_rule = True
            if len(keep) == len(selectors) or _VENDOR_PSEUDO.search(item.selector):
                out.append(css[item.lead : item.end])
            else:
                out.append(css[item.lead : item.start] + ",".join(k.strip() for k in keep) + css[item.body : item.end])
    return kept_rule


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def prune(css: str, used: Used) -> str:
    """The stylesheet without the rules and selectors that cannot match."""
    items, out = parse(css), []
    _prune_items(css, items, used, out)
    return "".join(out) + (css[items[-1].end :] if items else css)


def prune_book(html_dir: Path, originals: Path) -> dict[str, tuple[int, int]]:
    """Prune the stylesheets of the built book in place; returns name -> (bytes before, bytes after).

    ``originals`` is a folder outside the published pages that keeps each stylesheet as
    it was before pruning, and a checksum of what pruning made of it. Sphinx copies the
    packages' stylesheets into ``_static`` whenever it writes a page, so a build
    normally prunes fresh copies; when nothing was out of date and Sphinx copied
    nothing, a file still holding the last build's cut is pruned again from its kept
    original, never from the cut. The test that checks no rule a page uses was cut
    reads the originals too.

    The pages' links to a pruned stylesheet then carry a checksum of what it now holds,
    so a browser never keeps an older cut of a stylesheet whose original did not change.
    """
    used = collect(html_dir)
    static = html_dir / "_static"
    record = originals / "pruned.json"
    last = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    sizes, stamps, done = {}, {}, {}
    for pattern in PRUNED:
        for path in sorted(static.glob(pattern)):
            name = path.relative_to(static).as_posix()
            kept = originals / name
            css = path.read_text(encoding="utf-8")
            if last.get(name) == _digest(css) and kept.is_file():
                css = kept.read_text(encoding="utf-8")
            else:
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_text(css, encoding="utf-8")
            pruned = prune(css, used)
            sizes[name] = (len(css.encode()), len(pruned.encode()))
            done[name] = _digest(pruned)
            path.write_text(pruned, encoding="utf-8")
            if pruned != css:
                stamps[name] = f"{zlib.crc32(pruned.encode()):08x}"
    record.write_text(json.dumps(done, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if stamps:
        link = re.compile(r'(href="[^"]*_static/(' + "|".join(map(re.escape, stamps)) + r'))(?:\?[^"]*)?"')
        for page in pages(html_dir):
            text = page.read_text(encoding="utf-8")
            stamped = link.sub(lambda m: f'{m.group(1)}?v={stamps[m.group(2)]}"', text)
            if stamped != text:
                page.write_text(stamped, encoding="utf-8")
    return sizes
