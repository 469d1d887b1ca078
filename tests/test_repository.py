"""The repository's address is set once, in _config.yml, and every use agrees with it."""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import nbformat
import pytest
import yaml

from oilroutes import editions, repository, reuse
from oilroutes.paths import repo_root

ROOT = repo_root()
HTML = ROOT / "_build" / "html"
FORK = "https://github.com/some-teacher/oil-book"


@pytest.fixture
def copy(tmp_path):
    """The files that hold the address, copied: _config.yml, CITATION.cff and the chapters."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    return tmp_path


def test_every_use_agrees_with_the_config():
    assert not repository.problems(), "\n".join(repository.problems())
    found = repository.uses()
    assert len([p for p in found if p.endswith(".ipynb")]) == len(repository.notebooks()) >= 8
    address = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert repository.url() == address.rstrip("/")
    for path in repository.notebooks():
        first_code = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert repository.install_command(address) in first_code.source, f"{path.name}: the install cell"


def test_the_footer_and_figure_citations_read_the_config():
    assert reuse.book_url() == repository.published_url() == "https://kazakh-oil-routes.github.io/book"
    assert reuse.book_url() in reuse.footer_html()


def test_a_disagreeing_use_is_named(copy):
    cff = copy / "CITATION.cff"
    cff.write_text(cff.read_text().replace(repository.url(), FORK), encoding="utf-8")
    nb = copy / "chapters" / "02_cpc_disruptions.ipynb"
    nb.write_text(nb.read_text().replace("oilroutes @ git+", "oilroutes-renamed @ git+"), encoding="utf-8")
    found = repository.problems(copy)
    assert any(p.startswith("CITATION.cff: ['" + FORK) for p in found)
    assert any(p.startswith("chapters/02_cpc_disruptions.ipynb: no address") for p in found)
    assert len(found) == 2


def test_setting_the_address_once_writes_it_everywhere(copy):
    before = {p.name: p.read_text() for p in (copy / "chapters").glob("*.ipynb")}
    config_before = (copy / "_config.yml").read_text()
    changed = repository.set_url(FORK + "/", copy)
    assert len(changed) == 1 + len(before) + 1  # the config, every chapter, CITATION.cff
    assert repository.url(copy) == FORK and not repository.problems(copy)
    assert repository.published_url(copy) == "https://some-teacher.github.io/oil-book"
    # nothing else changed: the config's comments and the notebooks' layout stay as they were
    assert (copy / "_config.yml").read_text() == config_before.replace(repository.url(), FORK)
    for name, text in before.items():
        after = (copy / "chapters" / name).read_text()
        assert after == text.replace(repository.url(), FORK)
        nbformat.validate(nbformat.reads(after, as_version=4))
    cff = yaml.safe_load((copy / "CITATION.cff").read_text())
    assert cff["repository-code"] == FORK and cff["url"] == "https://some-teacher.github.io/oil-book"
    assert repository.set_url(FORK, copy) == []  # a second run changes nothing
    with pytest.raises(ValueError, match="owner/name"):
        repository.set_url("github.com/no-scheme", copy)


@pytest.mark.book
def test_the_built_book_uses_the_config_address(built_book):
    """Launch buttons, repository button, footer, figure citations and both editions' install cells."""
    address = repository.url()
    owner_name = re.fullmatch(r"https://github\.com/(.+)", address).group(1)
    branch = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"].get("branch", "main")
    for path in editions.chapters(ROOT):
        page = (HTML / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert f'href="{address}"' in page, f"{path.stem}: the repository button"
        assert f"colab.research.google.com/github/{owner_name}/blob/{branch}/chapters/{path.name}" in page
        assert f"mybinder.org/v2/gh/{owner_name}/{branch}?urlpath=tree/chapters/{quote(path.name)}" in page
        assert reuse.book_url() in page.split('class="oilroutes-footer"', 1)[1], f"{path.stem}: the footer"
        cites = re.findall(r"Cite this figure</summary><p>(.*?)</p>", page, re.S)
        assert all(f"{reuse.book_url()}/chapters/{path.stem}.html#" in c for c in cites), path.stem
        for kind in editions.KINDS:
            nb = (HTML / "editions" / kind / path.name).read_text(encoding="utf-8")
            assert f"oilroutes @ git+{address}" in nb, f"{kind} {path.name}"
            assert len(re.findall(r"oilroutes @ git\+", nb)) == 1
