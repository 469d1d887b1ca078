"""The student edition and the teacher's key: each chapter as a plain notebook that reads anywhere.

A chapter's source uses MyST that only Jupyter Book renders: ``{glue:text}`` placeholders for the
numbers it computes, ``{exercise}`` and ``{admonition}`` fences, ``{term}`` and ``{cite}`` roles. In
plain Jupyter, Colab or VS Code those show as raw markup. :func:`edition` rewrites a chapter:

- every ``{glue:text}`name:spec``` becomes ``format(value, spec)``, the value computed by the
  chapter's own function in :mod:`oilroutes.quoted` (the one the chapter glues); after a build,
  :func:`built_values` takes the values the build glued into the page instead, formatted the way
  the page formats them, so an edition prints exactly the page's numbers without computing them again;
- fences become plain Markdown (an exercise is a bold "Exercise" paragraph, an admonition a quote);
- ``{term}`text <Entry>``` becomes ``text``; ``{cite}`key``` becomes ``[key]``;
- the student edition drops each solution (its Markdown and its code cells); the teacher's key
  keeps them, each under a "Solution" heading.

:func:`write_editions` writes both editions of every teaching chapter into
``_build/html/editions/{student,teacher}/`` and returns the paths; ``oilroutes.build`` calls it
after the HTML build.
"""

from __future__ import annotations

import re
from ast import literal_eval
from collections.abc import Callable, Mapping
from pathlib import Path

import nbformat

from .paths import repo_root

KINDS = ("student", "teacher")
GLUE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")
TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<[^`>]*>)?`")
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
FENCE = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}[ \t]*(.*?)\n(.*?)^\1[ \t]*$\n?", re.S | re.M)
LINK = re.compile(r"\]\((?!\w+:)([\w./-]+?)\.(?:md|ipynb)(#[\w-]*)?\)")
OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$", re.M)


#: The teaching chapters, in reading order: each has its function in :data:`oilroutes.quoted.CHAPTERS`
#: (named here too, so that making the editions need not import the analysis).
TEACHING = (
    "00_introduction",
    "01_dependence_on_russia",
    "02_cpc_disruptions",
    "03_btc_alternative",
    "04_scenarios",
    "05_conclusions",
)


def chapters(root: Path | None = None) -> list[Path]:
    """The teaching chapters (introduction and chapters 1-5), in reading order."""
    root = root or repo_root()
    return [root / "chapters" / f"{name}.ipynb" for name in TEACHING]


def glued_values(stem: str) -> dict:
    """The values a chapter glues, computed by its function in :mod:`oilroutes.quoted`."""
    from .quoted import CHAPTERS

    return CHAPTERS[stem]()


class Glued(str):
    """A value as the build glued it: the text/plain that myst-nb stored for the page."""


def built_values(stem: str, root: Path | None = None) -> dict[str, Glued]:
    """The values the last build glued into a chapter's page (myst-nb's ``<chapter>.glue.json``; none if the
    chapter glued nothing, and then a placeholder in its text stops :func:`fill_glue` with its name)."""
    import json

    root = root or repo_root()
    path = root / "_build" / "jupyter_execute" / "chapters" / f"{stem}.glue.json"
    if not path.is_file():
        return {}
    stored = json.loads(path.read_text(encoding="utf-8"))
    return {name: Glued(out["data"]["text/plain"]) for name, out in stored.items()}


def format_glued(text: str, spec: str) -> str:
    """A glued text/plain value formatted as myst-nb formats it on the page (its ``format_plain_text``,
    which a test compares this with; importing myst-nb would cost every build a third of a second)."""
    try:
        value = literal_eval(text)  # a Python literal: the repr of a number or a string
    except (SyntaxError, ValueError):
        value = text
    if spec == "":
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def fill_glue(text: str, values: Mapping[str, object], where: str = "") -> str:
    """Replace each ``{glue:text}`name:spec``` by ``format(values[name], spec)`` (no spec: ``str``);
    a :class:`Glued` value is formatted by :func:`format_glued`, as myst-nb formats it on the page."""

    def value(m: re.Match) -> str:
        name, spec = m.group(1), m.group(2)
        if name not in values:
            raise KeyError(f"{where}: {{glue:text}}`{name}` is not among the chapter's quoted values")
        v = values[name]
        if isinstance(v, Glued):
            return format_glued(v, spec or "s")
        return format(v, spec) if spec else str(v)

    return GLUE.sub(value, text)


def _book_link(m: re.Match) -> str:
    """A link to another chapter, pointed at its page in the built book (editions/<kind>/ sits two levels down)."""
    return f"](../../chapters/{m.group(1).split('/')[-1]}.html{m.group(2) or ''})"


def _options(body: str) -> tuple[dict, str]:
    opts = dict(OPTION.findall(body))
    rest = OPTION.sub("", body).strip("\n")
    return opts, rest.strip()


class _Numbering:
    def __init__(self, prefix: str):
        self.prefix, self.n, self.labels = prefix, 0, {}

    def exercise(self, label: str) -> str:
        self.n += 1
        name = f"Exercise {self.prefix}{self.n}"
        if label:
            self.labels[label] = name
        return name


def plain_markdown(text: str, numbering: _Numbering) -> str:
    """MyST fences and roles rewritten as Markdown any notebook viewer renders."""

    def fence(m: re.Match) -> str:
        kind, arg, body = m.group(2), m.group(3).strip(), m.group(4)
        opts, body = _options(body)
        if kind == "exercise":
            return f"**{numbering.exercise(opts.get('label', ''))}.** {body}\n"
        if kind == "admonition" or kind in {"note", "tip", "warning", "important", "seealso"}:
            title = arg or kind.capitalize()
            quoted = "\n".join("> " + line if line else ">" for line in body.splitlines())
            return f"> **{title}**\n>\n{quoted}\n"
        return body + "\n"

    text = FENCE.sub(fence, text)
    text = TERM.sub(lambda m: m.group(1).strip(), text)
    text = CITE.sub(lambda m: "[" + ", ".join(k.strip() for k in m.group(1).split(",")) + "]", text)
    return text


SOL_START = re.compile(r"^(`{3,})\{solution-start\}[ \t]*(\S*)[^\n]*\n(?::[\w-]+:[^\n]*\n)*\1[ \t]*$\n?", re.M)
SOL_END = re.compile(r"^(`{3,})\{solution-end\}[^\n]*\n\1[ \t]*$\n?", re.M)


def _split_solutions(text: str, inside: bool) -> tuple[list[tuple[bool, str, str]], bool]:
    """Cut a Markdown cell at solution fences: [(in_solution, label, text)], and the state at its end."""
    parts, pos, label = [], 0, ""
    marks = sorted(
        [(m.start(), m.end(), "start", m.group(2)) for m in SOL_START.finditer(text)]
        + [(m.start(), m.end(), "end", "") for m in SOL_END.finditer(text)]
    )
    for start, end, kind, lab in marks:
        parts.append((inside, label, text[pos:start]))
        inside, label, pos = (kind == "start"), lab, end
    parts.append((inside, label, text[pos:]))
    return [p for p in parts if p[2].strip()], inside


def edition(path: Path, kind: str, values: Mapping[str, object] | None = None) -> nbformat.NotebookNode:
    """The student (``kind="student"``) or teacher (``"teacher"``) edition of one chapter notebook."""
    if kind not in KINDS:
        raise ValueError(f"edition kind must be one of {KINDS}, got {kind!r}")
    path = Path(path)
    values = glued_values(path.stem) if values is None else values
    nb = nbformat.read(path, as_version=4)
    prefix = "" if path.stem.startswith("00") else f"{int(path.stem[:2])}."
    numbering = _Numbering(prefix or "Intro ")
    cells, inside = [], False
    title = (
        "Student edition: exercises without solutions"
        if kind == "student"
        else "Teacher's key: exercises with solutions"
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            if inside and kind == "student":
                continue
            new = nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata), id=cell.id)
            cells.append(new)
            continue
        if kind == "teacher":
            text = SOL_END.sub("", SOL_START.sub("**Solution.**\n\n", cell.source))
            out = [text]
        else:
            parts, inside = _split_solutions(cell.source, inside)
            out = [text for in_sol, _label, text in parts if not in_sol]
        out = [plain_markdown(fill_glue(t, values, path.name), numbering).strip("\n") for t in out]
        out = [t for t in out if t.strip()]
        if out:
            cells.append(nbformat.v4.new_markdown_cell(LINK.sub(_book_link, "\n\n".join(out)), id=cell.id))
        if kind == "student" and inside:  # an exercise whose solution was removed: room for the answer
            cells.append(nbformat.v4.new_code_cell("# Your answer here\n", id=f"{cell.id}-answer"))
    if cells and cells[0].cell_type == "markdown":
        cells[0].source = cells[0].source + f"\n\n*{title}. Numbers are filled in from the book's data.*"
    out_nb = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
    return out_nb


def write_editions(
    root: Path | None = None, out: Path | None = None, values: Callable[[str], Mapping[str, object]] = glued_values
) -> list[Path]:
    """Write both editions of every teaching chapter; return the files written."""
    root = root or repo_root()
    out = out or root / "_build" / "html" / "editions"
    written = []
    for path in chapters(root):
        vals = values(path.stem)
        for kind in KINDS:
            target = out / kind / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(edition(path, kind, vals), target)
            written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_editions():
        print(p)
