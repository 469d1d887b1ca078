"""The student edition and the teacher's key read in plain Jupyter and run in a fresh kernel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from oilroutes import editions
from oilroutes.paths import repo_root

ROOT = repo_root()
CHAPTERS = editions.chapters(ROOT)
MYST = re.compile(r"\{(glue:text|term|cite|exercise|solution-start|solution-end|admonition)\}")


@pytest.fixture(scope="module")
def built():
    """Both editions of every chapter, with the glued values computed once per chapter."""
    values = {p.stem: editions.glued_values(p.stem) for p in CHAPTERS}
    return {(p.stem, kind): editions.edition(p, kind, values[p.stem]) for p in CHAPTERS for kind in editions.KINDS}


def _solution_code(path):
    """The source of every code cell between a solution-start and its solution-end."""
    inside, out = False, []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and inside:
            out.append(cell.source)
        elif cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                inside = True if "{solution-start}" in line else False if "{solution-end}" in line else inside
    return out


def _md(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_a_placeholder_takes_its_format_spec():
    values = {"a": 1234.567, "b": "3rd", "c": 7.0}
    text = "{glue:text}`a:,.0f` Mt, {glue:text}`b` place, {glue:text}`c:.1f`%"
    assert editions.fill_glue(text, values) == "1,235 Mt, 3rd place, 7.0%"
    with pytest.raises(KeyError, match="missing"):
        editions.fill_glue("{glue:text}`missing:.1f`", values, "ch.ipynb")


def test_a_value_glued_by_the_build_prints_as_on_the_page():
    values = {"a": editions.Glued("1234.567"), "b": editions.Glued("1 or 2 days"), "c": editions.Glued("7.0")}
    text = "{glue:text}`a:,.0f` Mt, within {glue:text}`b`, {glue:text}`c:.1f`%, {glue:text}`c`"
    assert editions.fill_glue(text, values) == "1,235 Mt, within 1 or 2 days, 7.0%, 7.0"


def test_glued_values_are_formatted_exactly_as_myst_nb_formats_them():
    """The editions format glued values with their own copy of myst-nb's function: every glued value of
    every chapter, with every spec the chapters use, and some edge cases, must print the same."""
    from myst_nb.core.variables import format_plain_text

    from oilroutes.quoted import CHAPTERS

    assert tuple(CHAPTERS) == editions.TEACHING
    specs = {"s", ""} | {
        m.group(2)
        for p in editions.chapters(ROOT)
        for m in editions.GLUE.finditer(p.read_text(encoding="utf-8"))
        if m.group(2)
    }
    texts = ["'quoted'", "1 or 2 days", "7", "-0.5", "1e-05", "nan", "True", "[1, 2]", ""]
    texts += [repr(v) for stem in editions.TEACHING for v in editions.glued_values(stem).values()]
    for text in texts:
        for spec in sorted(specs):
            try:
                expected = format_plain_text(text, spec)
            except (TypeError, ValueError) as exc:
                with pytest.raises(type(exc)):
                    editions.format_glued(text, spec)
            else:
                assert editions.format_glued(text, spec) == expected, (text, spec)


def test_myst_becomes_plain_markdown():
    n = editions._Numbering("2.")
    src = (
        "```{admonition} Learning objectives\n:class: tip\nYou will\n- learn\n```\n\n"
        "```{exercise}\n:label: ex-a\n\nCount the {term}`tankers <Tanker>` {cite}`k1,k2`.\n```\n"
    )
    out = editions.plain_markdown(src, n)
    assert "> **Learning objectives**" in out and "> - learn" in out
    assert "**Exercise 2.1.** Count the tankers [k1, k2]." in out
    assert not MYST.search(out) and ":label:" not in out and ":class:" not in out


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_editions_have_no_myst_left(built, path):
    for kind in editions.KINDS:
        md = _md(built[(path.stem, kind)])
        assert not MYST.search(md), f"{kind} {path.stem}: {MYST.search(md).group(0)} left"
        assert "](bibliography.md)" not in md


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_edition_keeps_exercises_and_drops_solutions(built, path):
    src = nbformat.read(path, as_version=4)
    n_ex = len(re.findall(r"```\{exercise\}", _md(src)))
    student, teacher = built[(path.stem, "student")], built[(path.stem, "teacher")]
    assert _md(student).count("**Exercise ") == n_ex == _md(teacher).count("**Exercise ")
    assert "**Solution.**" not in _md(student) and _md(teacher).count("**Solution.**") == n_ex
    student_code = [c.source for c in student.cells if c.cell_type == "code"]
    teacher_code = [c.source for c in teacher.cells if c.cell_type == "code"]
    for code in _solution_code(path):
        assert code not in student_code and code in teacher_code
    assert student_code.count("# Your answer here\n") == n_ex


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_filled_in(built, path):
    values = editions.glued_values(path.stem)
    names = set(re.findall(r"\{glue:text\}`([^`:]+)", _md(nbformat.read(path, as_version=4))))
    assert names, path.stem
    md = _md(built[(path.stem, "teacher")])
    for name in names:
        v = values[name]
        if isinstance(v, str):
            assert v in md, f"{name}={v!r} missing from the teacher's key"


def test_teacher_key_runs_exactly_the_chapter_code(built):
    """The key's code cells are the chapter's, in order: what the key teaches is what the book ran."""
    for path in CHAPTERS:
        chapter = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        key = [c.source for c in built[(path.stem, "teacher")].cells if c.cell_type == "code"]
        assert key == chapter, path.stem


def test_built_student_editions_run_top_to_bottom_in_a_fresh_kernel(built_book, tmp_path):
    """Every student notebook the build wrote runs on its own, as a teacher hands it out: copied to a folder of
    its own, each in a fresh kernel in an empty folder (nbval, one after another), every cell without error. A
    removed solution must not define anything a later cell needs.

    The teacher's keys are not run again here: a key's code cells are its chapter's, in order
    (test_teacher_key_runs_exactly_the_chapter_code), and every chapter already runs top to bottom in a fresh
    kernel in an empty folder, away from the book's files (the chapters' own nbval run, tests/kernel_sockets.py).
    """
    files = []
    for path in CHAPTERS:
        built_nb = ROOT / "_build" / "html" / "editions" / "student" / path.name
        assert built_nb.is_file(), f"the build wrote no student edition of {path.name}"
        target = tmp_path / path.name
        shutil.copyfile(built_nb, target)
        files.append(target)
    cells = sum(1 for f in files for c in nbformat.read(f, as_version=4).cells if c.cell_type == "code")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "kernel_sockets", "--nbval-lax"]
        + ["-p", "no:xdist", "--rootdir", str(tmp_path), *map(str, files)],
        cwd=tmp_path,
        env=dict(
            os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "tests"), os.environ.get("PYTHONPATH")]))
        ),
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(rf"\b{cells} passed\b", summary) and "failed" not in summary and "error" not in summary, summary


def test_the_built_editions_print_what_the_package_computes(built_book, built):
    """The build fills the editions from the values it glued into the pages; they are the package's own."""
    for path in CHAPTERS:
        for kind in editions.KINDS:
            on_disk = nbformat.read(ROOT / "_build" / "html" / "editions" / kind / path.name, as_version=4)
            made = built[(path.stem, kind)]
            assert [c.source for c in on_disk.cells] == [c.source for c in made.cells], f"{kind} {path.stem}"


@pytest.mark.book
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_built_page_links_both_editions_and_its_download_reads_without_placeholders(path):
    html = ROOT / "_build" / "html"
    page = html / "chapters" / f"{path.stem}.html"
    if not page.is_file():
        pytest.skip("build the book first (make book)")
    text = page.read_text(encoding="utf-8")
    article = text[text.index("<article") :]
    for kind in editions.KINDS:
        assert f'href="../editions/{kind}/{path.name}"' in article
        assert (html / "editions" / kind / path.name).is_file()
    assert 'href="../_sources/chapters/' + path.name + '"' in text  # the page's download button
    download = nbformat.read(html / "_sources" / "chapters" / path.name, as_version=4)
    assert not MYST.search(_md(download))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_an_edition_is_the_same_file_at_every_build_with_its_chapters_cell_ids(path, tmp_path):
    """A downloaded edition changes only when its chapter or its numbers do: no cell gets a new random id."""
    values = editions.glued_values(path.stem)
    chapter_ids = {c.id for c in nbformat.read(path, as_version=4).cells}
    for kind in editions.KINDS:
        first, second = tmp_path / f"{kind}-1.ipynb", tmp_path / f"{kind}-2.ipynb"
        nbformat.write(editions.edition(path, kind, values), first)
        nbformat.write(editions.edition(path, kind, values), second)
        assert first.read_bytes() == second.read_bytes(), (path.stem, kind)
        ids = [c.id for c in nbformat.read(first, as_version=4).cells]
        assert len(ids) == len(set(ids)) and all(i in chapter_ids or i.endswith("-answer") for i in ids)
