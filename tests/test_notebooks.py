"""Chapters are committed clean, listed in the table of contents, and open like chapters."""

import re

import nbformat
import pytest
import yaml
from conftest import FIGURE_CALL

from oilroutes.paths import repo_root

ROOT = repo_root()
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for entry in toc.get("chapters", []):
        files.append(entry["file"])
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


def test_there_are_chapters():
    assert CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs: clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_is_in_the_table_of_contents(path):
    assert f"chapters/{path.stem}" in _toc_files()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_code_cells_are_short(path):
    """Logic lives in the package: a chapter cell is a few lines that read like a sentence."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
            assert len(lines) <= 8 or "%pip" in cell.source, (
                f"{path.name} cell {i} has {len(lines)} lines; move the logic into src/oilroutes"
            )


TEACHING = [p for p in CHAPTERS if p.stem[:2] in {"00", "01", "02", "03", "04", "05"}]


def _markdown(path):
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_chapter_opens_with_objectives_and_prerequisites_and_closes_with_summary(path):
    md = _markdown(path)
    assert "Learning objectives" in md and "**Prerequisites:**" in md
    assert "## Summary" in md


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_chapter_has_three_exercises_each_with_a_collapsed_solution(path):
    md = _markdown(path)
    labels = re.findall(r"```\{exercise\}\n:label: (\S+)", md)
    assert len(labels) >= 3, f"{path.name} has {len(labels)} exercises"
    for label in labels:
        assert re.search(r"```\{solution-start\} " + re.escape(label) + r"\n:class: dropdown", md), label


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_every_map_and_chart_has_a_numbered_caption(path):
    cells = nbformat.read(path, as_version=4).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and FIGURE_CALL.search(cell.source):
            following = next((c for c in cells[i + 1 :] if c.cell_type == "markdown"), None)
            assert following is not None and following.source.lstrip().startswith("**Figure"), (
                f"{path.name} cell {i} draws a figure with no caption after it"
            )


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_chapter_links_its_terms_to_the_glossary(path):
    assert len(re.findall(r"\{term\}`", _markdown(path))) >= 5


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_chapter_installs_the_package_when_launched_elsewhere(path):
    first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert 'find_spec("oilroutes") is None' in first.source and "%pip install" in first.source
    assert "remove-cell" in first.metadata.get("tags", [])


def test_nbval_kernels_listen_on_private_unix_sockets_in_an_empty_folder_of_their_own():
    """No TCP port for another process to take first (see oilroutes.kernels, tests/kernel_sockets.py); and
    each chapter runs as a copy handed out on its own would, away from the repository's files."""
    import json
    import os

    import nbval.plugin
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME

    from oilroutes.kernels import socket_dir

    kernel = nbval.plugin.RunningKernel(CURRENT_ENV_KERNEL_NAME, cwd=str(ROOT / "chapters"))  # as nbval starts it
    try:
        assert kernel.km.transport == "ipc"
        assert kernel.km.ip.startswith(str(socket_dir()))
        said = []
        reply = kernel.kc.execute_interactive(
            "import json, os; print(json.dumps([os.getcwd(), os.listdir()]))",
            output_hook=lambda m: said.append(m["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
        folder, files = json.loads("".join(said))
        assert files == [] and os.path.realpath(folder) != os.path.realpath(ROOT / "chapters")
    finally:
        kernel.stop()
    assert not os.path.exists(folder), "the kernel's folder is removed with it"


def test_the_builds_kernels_listen_on_private_unix_sockets_and_stop_at_once(tmp_path):
    """The chapters the build runs into the execution cache do so on Unix sockets too; and each kernel is
    stopped as soon as its notebook has run, not asked to exit and waited for (its exit handlers never run)."""
    from jupyter_cache.executors.utils import single_nb_execution

    from oilroutes.kernels import on_sockets, socket_dir

    exited = tmp_path / "exited"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import atexit, pathlib\n"
                "from ipykernel.kernelapp import IPKernelApp\n"
                "app = IPKernelApp.instance()\n"
                f"atexit.register(pathlib.Path({str(exited)!r}).write_text, 'the kernel exited on request')\n"
                "print(app.transport, app.ip)"
            )
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with on_sockets():
        result = single_nb_execution(nb, cwd=str(tmp_path), timeout=60, allow_errors=False)
    assert result.err is None
    transport, ip = nb.cells[0].outputs[0]["text"].split()
    assert transport == "ipc" and ip.startswith(str(socket_dir()))
    assert not exited.exists(), "the kernel was asked to exit and waited for"


def test_glue_all_displays_each_value_as_myst_nb_glue_does():
    """The chapters' glue writes the outputs MyST-NB's own glue writes, so the build reads the same values."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from myst_nb import glue

    from oilroutes.book import glue_all
    from oilroutes.quoted import Text

    values = {"a_number": 12.345, "an_int": 7, "words": Text("1 or 2 days"), "plain": "text"}
    InteractiveShell.instance()  # display() publishes through a shell, as in a kernel
    try:
        with capture_output() as ours:
            glue_all(values)
        with capture_output() as theirs:
            for name, value in values.items():
                glue(name, value if isinstance(value, str) else float(value), display=False)
    finally:
        InteractiveShell.clear_instance()
    assert [(o.data, o.metadata) for o in ours.outputs] == [(o.data, o.metadata) for o in theirs.outputs]
    assert len(ours.outputs) == len(values)
    assert ours.outputs[2].data == {"application/papermill.record/text/plain": "1 or 2 days"}
