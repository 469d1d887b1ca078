"""Every exercise survives a student's edit: change a year, a ratio or a country and re-run.

Each chapter's code cells run once in a namespace (as the kernel would run them); then each
exercise's solution cells run again with one parameter changed. The answer must be formatted
numbers and names (no numpy reprs, no NaN, no route ids), or, for a year or country the data
package lacks, a LookupError that names it.
"""

from __future__ import annotations

import ast
import functools
import math
import re

import nbformat
import pytest

from oilroutes import analysis, exercises
from oilroutes.paths import repo_root

ROOT = repo_root()
START = re.compile(r"```\{solution-start\} (\S+)")
END = "{solution-end}"


def _solutions(stem: str) -> tuple[list[str], dict[str, list[str]]]:
    """The chapter's code cells outside solutions, and each exercise label's solution code."""
    nb = nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)
    setup, solutions, label = [], {}, None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if m := START.match(line):
                    label = m.group(1)
                elif END in line:
                    label = None
        elif "%pip" not in cell.source:
            (solutions.setdefault(label, []) if label else setup).append(cell.source)
    return setup, solutions


def _run(code: str, ns: dict):
    """Run a cell like a kernel: statements, then the value of a last expression."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), ns)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns) if last else None


_NAMESPACES: dict[str, tuple[dict, dict]] = {}


def _definitions(code: str) -> str:
    """A setup cell's imports and assignments; the figures and tables it only displays are skipped."""
    tree = ast.parse(code)
    tree.body = [s for s in tree.body if not isinstance(s, (ast.Expr, ast.Assert))]
    return ast.unparse(tree)


def _chapter(stem: str) -> tuple[dict, dict]:
    if stem not in _NAMESPACES:
        setup, solutions = _solutions(stem)
        ns = {"display": lambda *a, **k: None}
        for code in setup:
            _run(_definitions(code), ns)
        _NAMESPACES[stem] = (ns, solutions)
    return _NAMESPACES[stem]


@functools.cache
def _answer(stem: str, label: str, old: str = "", new: str = ""):
    ns, solutions = _chapter(stem)
    assert label in solutions, f"{stem} has no solution code for {label}"
    ns = dict(ns)
    result = None
    for cell in solutions[label]:
        code = cell
        if old:
            assert old in code or any(old in c for c in solutions[label]), f"{label}: {old!r} not in its solution"
            code = code.replace(old, new)
        result = _run(code, ns)
    return result


def _readable(result) -> str:
    text = repr(result)
    assert "np.float64" not in text and "np.int64" not in text, f"numpy repr in the answer: {text}"
    assert not re.search(r"\bnan\b", text, re.I), f"NaN in the answer: {text}"
    return text


# (chapter, exercise, text in its solution, replacement, what the answer must contain, or the error's year)
EDITS = [
    ("00_introduction", "ex-intro-legs", '"reuters"', '"kazakhstan_earlier"', "Mt/yr"),
    ("00_introduction", "ex-intro-sources", ".head(3)", ".head(1)", None),
    ("00_introduction", "ex-intro-gap", "range(2015, 2026)", "range(2010, 2026)", "2010"),
    ("01_dependence_on_russia", "ex-dep-share", "year = 2023", "year = 2022", "% of 2022's exports"),
    ("01_dependence_on_russia", "ex-dep-ratio", "year = 2025", "year = 2023", "2023 in kb/d"),
    ("01_dependence_on_russia", "ex-dep-growth", "2022, 2023", "2023, 2025", " Mt"),
    ("01_dependence_on_russia", "ex-dep-italy", '"Jan–Aug 2024"', '"2023"', "times"),
    ("02_cpc_disruptions", "ex-cpc-storm", "bound == 'high'", "bound == 'low'", " Mt"),
    ("02_cpc_disruptions", "ex-cpc-assume", '"reuters"', '"kazakhstan_earlier"', "lost_mt_low"),
    ("02_cpc_disruptions", "ex-cpc-krop", "(45, 61)", "(30, 90)", "for 90 days"),
    ("02_cpc_disruptions", "ex-cpc-types", "y <= 2022", "y <= 2023", None),
    ("03_btc_alternative", "ex-btc-share", '"aktau_berths_rebuilt"', '"aktau_berths"', "% of CPC"),
    ("03_btc_alternative", "ex-btc-ratio", '"reuters"', '"kazakhstan_earlier"', "binding link"),
    ("03_btc_alternative", "ex-btc-tankers", "8_000", "12_000", None),
    ("04_scenarios", "ex-scn-month", "(1, 3, 12)", "(2,)", None),
    ("04_scenarios", "ex-scn-tankers", "0.5, 6", "0.8, 2", None),
    ("04_scenarios", "ex-scn-price", "(2022, 2025)", "(2015, 2020)", "million"),
    ("05_conclusions", "ex-con-rule", "year = 2024", "year = 2023", "2023:"),
    ("05_conclusions", "ex-con-definition", '"proxy"', '"volume"', None),
    ("05_conclusions", "ex-con-new", '"2025"', '"2023"', "Germany took"),
]

# Years and countries the data package does not have: a message naming them, never 0% or NaN.
MISSING = [
    ("01_dependence_on_russia", "ex-dep-share", "year = 2023", "year = 2021", "2021"),
    ("01_dependence_on_russia", "ex-dep-ratio", "year = 2025", "year = 2024", "2024"),
    ("01_dependence_on_russia", "ex-dep-growth", "2022, 2023", "2021, 2023", "2021"),
    ("01_dependence_on_russia", "ex-dep-italy", '"Italy", "2023"', '"Italy", "2019"', "2019"),
    ("04_scenarios", "ex-scn-price", "(2022, 2025)", "(2022, 2031)", "2031"),
    ("05_conclusions", "ex-con-rule", "year = 2024", "year = 2021", "2021"),
    ("05_conclusions", "ex-con-new", '"Germany"', '"Narnia"', "Narnia"),
]


def test_every_exercise_has_an_edit_case():
    from oilroutes.quoted import CHAPTERS

    labels = {label for stem in CHAPTERS for label in _solutions(stem)[1]}
    assert labels == {e[1] for e in EDITS}


@pytest.mark.parametrize("stem,label", sorted({(e[0], e[1]) for e in EDITS}), ids=lambda v: str(v))
def test_exercise_as_written_gives_a_readable_answer(stem, label):
    _readable(_answer(stem, label))


@pytest.mark.parametrize("stem,label,old,new,expect", EDITS, ids=[e[1] for e in EDITS])
def test_exercise_with_a_changed_parameter(stem, label, old, new, expect):
    before = _readable(_answer(stem, label))
    after = _readable(_answer(stem, label, old, new))
    assert after != before, f"{label}: changing {old} to {new} did not change the answer"
    if expect:
        assert expect in after, f"{label}: expected {expect!r} in {after}"


@pytest.mark.parametrize("stem,label,old,new,year", MISSING, ids=[f"{m[1]}-{m[4]}" for m in MISSING])
def test_exercise_with_missing_data_names_what_is_missing(stem, label, old, new, year):
    with pytest.raises(LookupError, match=year):
        _answer(stem, label, old, new)


def test_intro_solution_answers_the_question():
    """Ranked in one unit, the largest route is named with its reported capacity and unit."""
    answer = _answer("00_introduction", "ex-intro-legs")
    table = exercises.capacities_in_mt(_chapter("00_introduction")[0]["legs"], 7.5)
    assert answer.startswith(f"Largest: {table.iloc[0]['route']}") and "kb/d" in answer and "in Mt/yr" in answer
    assert table["capacity_mt_per_year"].is_monotonic_decreasing


def test_growth_leader_names_the_route_not_its_id():
    split = analysis.route_split()
    route_id, growth = analysis.fastest_growing_route(split, 2022, 2023)
    answer = exercises.growth_leader(split, 2022, 2023)
    assert route_id not in answer.split(":")[0] and f"{growth:+.1f} Mt" in answer


def test_a_year_without_a_split_is_not_zero_percent():
    split = analysis.route_split()
    with pytest.raises(LookupError, match=r"2021: .*only a total.*years with a split by route: .*2022"):
        exercises.year_split(split, 2021)
    with pytest.raises(LookupError, match=r"1990: .*no export figures"):
        exercises.year_split(split, 1990)


def test_exports_for_a_year_without_a_total_names_the_years_that_have_one():
    with pytest.raises(LookupError, match=r"2024.*years with one: .*2023, 2025"):
        exercises.exports_mt(2024)
    assert exercises.exports_kbd(2025, {"a": 7.5}) == {"a": round(78.7 * 1e6 * 7.5 / 365.25 / 1e3)}
    assert all(isinstance(v, int) for v in exercises.exports_kbd(2025, {"a": 7.5, "b": 7.3}).values())
    assert not math.isnan(exercises.brent_price(2022))
