"""The teaching apparatus: the syllabus fits its sessions, and JupyterLab comes with the environment."""

from __future__ import annotations

import re
import subprocess

import yaml

from oilroutes.paths import repo_root

ROOT = repo_root()
PAGE = ROOT / "chapters" / "for_teachers.md"


def _sessions() -> dict[str, list[tuple[int, int]]]:
    sessions, current = {}, None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"### (Session \d)", line):
            current = sessions.setdefault(m.group(1), [])
        elif current is not None and (m := re.match(r"\| (\d+)–(\d+) \|", line)):
            current.append((int(m.group(1)), int(m.group(2))))
    return sessions


def test_the_page_is_in_the_book():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert "chapters/for_teachers" in files


def test_three_sessions_each_fill_ninety_minutes_without_gaps():
    sessions = _sessions()
    assert list(sessions) == ["Session 1", "Session 2", "Session 3"]
    for name, slots in sessions.items():
        assert slots[0][0] == 0 and slots[-1][1] == 90, f"{name}: {slots}"
        assert all(a[1] == b[0] for a, b in zip(slots, slots[1:])), f"{name} has a gap or overlap: {slots}"
        assert len(slots) >= 5


def test_every_exercise_is_placed_in_class_or_as_homework():
    text = PAGE.read_text(encoding="utf-8")
    table = text[text.index("## Which exercise when") : text.index("## Common mistakes")]
    for chapter, n in {"1": 4, "2": 4, "3": 3, "4": 3, "5": 3}.items():
        for k in range(1, n + 1):
            assert f"{chapter}.{k} (" in table, f"exercise {chapter}.{k} not placed"


def test_readme_links_to_the_page_instead_of_its_own_syllabus():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "for_teachers" in readme and "| session |" not in readme
    assert ".venv/bin/jupyter lab" not in readme and "make lab" in readme


def test_jupyterlab_is_locked_and_make_lab_starts_it():
    lock = (ROOT / "requirements.lock").read_text()
    assert re.search(r"^jupyterlab==\d", lock, re.M)
    dry = subprocess.run(["make", "-n", "-W", "requirements.lock", "lab"], cwd=ROOT, capture_output=True, text=True)
    assert re.search(r"\.venv/bin/jupyter lab --notebook-dir=", dry.stdout), dry.stdout + dry.stderr
