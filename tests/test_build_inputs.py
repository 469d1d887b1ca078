"""The build drops its caches when an input's content changes, whatever the file's mtime says (the
execution cache is set aside under the digest of its inputs, and taken back only for those inputs),
and the ids that libraries draw at random come out the same in every run."""

import os
import shutil

import pytest

from oilroutes import build, ids
from oilroutes.paths import repo_root

ROOT = repo_root()


@pytest.fixture
def tree(tmp_path):
    """A copy of the build's inputs, with a stamp as a finished build leaves it."""
    for d in build.TREES + build.PAGE_TREES:
        shutil.copytree(ROOT / d, tmp_path / d, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for f in build.FILES:
        shutil.copy2(ROOT / f, tmp_path / f)
    for cache in build.CACHES:
        (tmp_path / cache).mkdir(parents=True)
    assert build.drop_stale_cache(tmp_path)  # no stamp yet: a first build starts clean
    _made_by_a_build(tmp_path)
    return tmp_path


def _made_by_a_build(tree):
    """What a build leaves: its HTML and environment, and an execution cache that names its inputs."""
    for cache in build.CACHES:
        (tree / cache).mkdir(parents=True)
    (tree / build.EXECUTION).mkdir(parents=True, exist_ok=True)
    (tree / build.EXECUTION / "made-from").write_text(build.inputs_digest(tree))


def _execution_cache(tree):
    marker = tree / build.EXECUTION / "made-from"
    return marker.read_text() if marker.is_file() else None


def test_unchanged_inputs_keep_the_cache(tree):
    assert not build.drop_stale_cache(tree)
    assert all((tree / c).is_dir() for c in build.CACHES)
    assert _execution_cache(tree) == build.inputs_digest(tree)


def test_touching_a_file_without_changing_it_keeps_the_cache(tree):
    os.utime(tree / "data" / "production.csv")
    assert not build.drop_stale_cache(tree)


def test_a_file_restored_with_an_old_mtime_drops_the_cache(tree):
    """Build with B, restore A from a backup that keeps its old mtime (cp -p, tar, rsync -a): A must be rebuilt."""
    path = tree / "data" / "production.csv"
    original, old = path.read_bytes(), path.stat()
    digest_a = build.inputs_digest(tree)
    path.write_bytes(original.replace(b"79.46", b"79.47", 1))
    assert build.drop_stale_cache(tree)  # the build with B
    assert not any((tree / c).exists() for c in build.CACHES) and _execution_cache(tree) is None
    _made_by_a_build(tree)
    digest_b = _execution_cache(tree)
    path.write_bytes(original)  # restore A ...
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # ... with its old mtime
    assert path.stat().st_mtime < (tree / build.STAMP).stat().st_mtime
    assert build.drop_stale_cache(tree)
    assert not any((tree / c).exists() for c in build.CACHES)
    # A's outputs come back, never B's; B's are kept aside for when B comes back
    assert _execution_cache(tree) == digest_a != digest_b
    assert build.set_aside_digests(tree) == [digest_b]


def test_an_execution_cache_is_taken_back_only_for_the_inputs_that_made_it(tree):
    path = tree / "data" / "production.csv"
    original = path.read_bytes()
    seen = [_execution_cache(tree)]
    for n in range(1, 6):  # five more versions of the data, each built once
        path.write_bytes(original + b"\n" * n)
        assert build.drop_stale_cache(tree)
        assert _execution_cache(tree) is None  # never built with these inputs
        _made_by_a_build(tree)
        seen.append(_execution_cache(tree))
    assert len(set(seen)) == 6
    assert build.set_aside_digests(tree) == sorted(seen[-1 - build.KEEP : -1])  # the last KEEP set aside
    path.write_bytes(original + b"\n" * 3)  # back to a version built before: its cache returns
    assert build.drop_stale_cache(tree) and _execution_cache(tree) == seen[3] == build.inputs_digest(tree)
    path.write_bytes(original)  # the first version's cache was dropped to keep KEEP: it starts clean
    assert build.drop_stale_cache(tree) and _execution_cache(tree) is None


@pytest.mark.parametrize("name", ["_static/oilroutes.css", "_static/sidebar-toggles.js"])
def test_a_changed_stylesheet_or_script_drops_the_pages_and_keeps_the_outputs(tree, name):
    """Sphinx copies _static only when it writes a page: an edit to it alone must still reach the book."""
    path = tree / name
    path.write_bytes(path.read_bytes() + b"\n/* changed */\n")
    assert build.drop_stale_cache(tree)
    assert not any((tree / c).exists() for c in build.CACHES)
    assert _execution_cache(tree) == build.inputs_digest(tree) and build.set_aside_digests(tree) == []
    assert not build.drop_stale_cache(tree)  # and once rebuilt, it stays


def test_a_stamp_that_is_not_a_digest_sets_nothing_aside(tree):
    (tree / build.STAMP).write_text("../../somewhere\n")
    assert build.drop_stale_cache(tree)
    assert build.set_aside_digests(tree) == [] and _execution_cache(tree) is None


@pytest.mark.parametrize(
    "name",
    [
        "references.bib",
        "_config.yml",
        "_toc.yml",
        "requirements.lock",
        "src/oilroutes/analysis.py",
        "data/datapackage.json",
    ],
)
def test_every_kind_of_input_counts(tree, name):
    path = tree / name
    path.write_bytes(path.read_bytes() + b"\n")
    assert build.drop_stale_cache(tree)


def test_ids_repeat_from_run_to_run():
    import folium
    import pandas as pd

    from oilroutes import maps, render, tables  # noqa: F401 - the modules that install the ids

    def run():
        ids.reset()
        m = folium.Map()
        folium.Marker([45, 50]).add_to(m)
        page = m.get_root().render()
        table = pd.DataFrame({"a": [1]}).style.to_html()
        chart = render._renderer({"description": "x"})["text/html"]
        return page, table, chart

    assert run() == run()
    page, table, chart = run()
    assert "vis-" in chart and "T_" in table


def test_the_modules_that_make_maps_and_tables_install_the_ids_and_the_package_alone_imports_nothing_heavy():
    """The Sphinx extensions and the steps after Sphinx import the package: it must not cost them pandas,
    folium and branca (0.26 s in each of those processes); the maps and tables get their ids all the same."""
    import subprocess
    import sys

    code = (
        "import sys, oilroutes.sphinxext, oilroutes.reuse, oilroutes.postbuild; "
        "print(sorted(m for m in ('pandas', 'branca', 'folium', 'altair') if m in sys.modules)); "
        "import branca.element, pandas.io.formats.style_render as sr; "
        "before = (branca.element.Element._generate_id.__func__.__module__, sr.uuid4.__module__); "
        "import oilroutes.maps, oilroutes.tables; "
        "print(before, (branca.element.Element._generate_id.__func__.__module__, sr.uuid4.__module__))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, ids_by = done.stdout.strip().splitlines()
    assert heavy == "[]"
    assert ids_by == "('branca.element', 'uuid') ('oilroutes.ids', 'oilroutes.ids')"


@pytest.mark.parametrize("keep_prose", (True, False))
def test_the_benchmarks_floor_keeps_the_imports_and_the_prose_without_computed_values(tmp_path, keep_prose):
    """make bench's floor: every chapter's code cut to its import lines; with ``keep_prose`` every text cell
    stays, each glued value written as 0 (nothing computes it); without, only the title stays."""
    import nbformat

    from oilroutes import bench

    (tmp_path / "chapters").mkdir()
    source = ROOT / "chapters" / "04_scenarios.ipynb"
    shutil.copy(source, tmp_path / "chapters" / source.name)
    bench._reduce_to_imports(tmp_path, keep_prose=keep_prose)
    before = nbformat.read(source, as_version=4).cells
    after = nbformat.read(tmp_path / "chapters" / source.name, as_version=4).cells
    code = [c.source for c in after if c.cell_type == "code"]
    assert code and all(line.startswith(("import ", "from ")) for c in code for line in c.splitlines())
    assert any("from oilroutes import charts, data, model, quoted, render, tables" in c for c in code)
    text = [c.source for c in after if c.cell_type == "markdown"]
    if keep_prose:
        assert len(text) == sum(c.cell_type == "markdown" for c in before)
        assert not any("{glue:" in t for t in text) and "At the 0 Kazakh flow" in "".join(text).replace("\n", " ")
    else:
        assert text == ["# Scenarios: when CPC goes down"]


def test_the_chapters_run_longest_first_in_the_order_jupyter_cache_keeps(tmp_path):
    """The run into the execution cache starts the chapters with the most code, and jupyter-cache runs a
    project's notebooks in the order they were added (which is what lets that order reach the workers)."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    chapters = build._toc_notebooks(ROOT)
    order = build.longest_first(chapters)
    assert sorted(order) == sorted(chapters) and order != chapters
    lengths = [build.code_length(p) for p in order]
    assert lengths == sorted(lengths, reverse=True)
    assert order[0].stem == "02_cpc_disruptions"
    assert {p.stem for p in order[-2:]} == {"06_data_and_methods", "whats_new"}

    cache = get_cache(str(tmp_path / "cache"))
    for path in order:
        cache.add_nb_to_project(str(path))
    executor = load_executor("local-parallel", cache=cache)
    queued = executor.get_records([str(p) for p in chapters], clear_tracebacks=False)
    assert [r.uri for r in queued] == [str(p) for p in order]


def test_the_run_into_the_cache_keeps_every_notebook_it_caches(tmp_path):
    """jupyter-cache trims its store each time it caches a notebook, in a way a second worker can race (see
    build.no_cache_trimming); during the build's run it trims nothing, here even with a limit of one."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    def cache_two(cache):
        for i in range(2):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {i}")])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            cache.cache_notebook_bundle(CacheBundleIn(nb, uri=f"nb{i}.ipynb"), check_validity=False)
        return len(cache.list_cache_records())

    caches = [get_cache(str(tmp_path / name)) for name in ("before", "during", "after")]
    for cache in caches:
        cache.change_cache_limit(1)
    assert cache_two(caches[0]) == 1  # jupyter-cache's own trimming, which the build turns off
    with build.no_cache_trimming():
        assert cache_two(caches[1]) == 2
    assert cache_two(caches[2]) == 1  # and only during its run
