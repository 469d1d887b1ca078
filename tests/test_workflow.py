"""The publishing workflow is a valid GitHub Actions workflow that tests, then deploys the built book."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from oilroutes.paths import repo_root

ROOT = repo_root()
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def _load(text: str) -> dict:
    wf = yaml.safe_load(text)
    if True in wf:  # YAML 1.1 reads the key `on` as true; GitHub reads it as "on"
        wf["on"] = wf.pop(True)
    return wf


def _schema():
    return json.loads((ROOT / "tests" / "schemas" / "github-workflow.schema.json").read_text())


def test_workflow_validates_against_the_published_schema():
    jsonschema.Draft7Validator(_schema()).validate(_load(WORKFLOW.read_text()))


def test_the_schema_check_catches_a_broken_workflow():
    wf = _load(WORKFLOW.read_text())
    wf["jobs"]["test"]["runs-on"] = {"labels": 3}
    del wf["jobs"]["deploy"]["steps"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(_schema()).validate(wf)


def test_it_runs_make_test_and_deploys_the_html_on_push_to_main():
    wf = _load(WORKFLOW.read_text())
    assert wf["on"]["push"]["branches"] == ["main"]
    steps = wf["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "make test" in runs and "make book" in runs
    assert runs.index("make test") < runs.index("make book")
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    cached = " ".join(s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert ".venv" in cached and "_build/.jupyter_cache" in cached
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "test" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
