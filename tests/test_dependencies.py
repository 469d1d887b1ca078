"""Every third-party module the package imports is declared in pyproject.toml, and nothing declared is unused."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from oilroutes.paths import repo_root

ROOT = repo_root()


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
    return {_norm(re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0]) for r in reqs}


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution name -> the package files that import it (stdlib and the package itself left out)."""
    dists = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / "oilroutes").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "oilroutes":
                    continue
                for dist in dists.get(top, [top]):
                    found.setdefault(_norm(dist), set()).add(path.name)
    return found


# Imported only through a library that brings it (Sphinx's own API, used by the Sphinx extension
# that runs inside jupyter-book's build), so declaring it would pin what jupyter-book pins.
PROVIDED_BY_THE_BOOK_BUILD = {"sphinx", "docutils", "jupyter-book", "myst-parser", "playwright"}


def test_every_imported_distribution_is_declared():
    missing = {
        d: sorted(files)
        for d, files in _imported_distributions().items()
        if d not in _declared() and d not in PROVIDED_BY_THE_BOOK_BUILD
    }
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declared_distribution_is_imported():
    unused = _declared() - set(_imported_distributions()) - {"pyogrio", "nbformat"}
    assert not unused, f"declared in pyproject.toml but never imported by the package: {sorted(unused)}"
