"""Reuse: every figure's data as CSV with sources, a citation and a permalink; a footer; a valid CITATION.cff."""

from __future__ import annotations

import csv
import json
import re
import tomllib

import jsonschema
import pytest
import yaml

from oilroutes import reuse
from oilroutes.paths import repo_root

ROOT = repo_root()
HTML = ROOT / "_build" / "html"


def test_citation_cff_validates_against_the_cff_1_2_schema():
    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=str))  # dates as the strings the schema expects
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(cff)
    assert cff["cff-version"] == "1.2.0"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert cff["version"] == version


def test_the_schema_check_catches_a_broken_file():
    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=str))
    del cff["authors"]
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.Draft7Validator(schema).validate(cff)


def test_chart_rows_are_every_dataset_row_with_a_layer_when_layered():
    spec = {"datasets": {"a": [{"x": 1}, {"x": 2}], "b": [{"y": 3}]}}
    assert reuse.chart_rows(spec) == [{"layer": 1, "x": 1}, {"layer": 1, "x": 2}, {"layer": 2, "y": 3}]
    assert reuse.chart_rows({"datasets": {"a": [{"x": 1}]}}) == [{"x": 1}]


def test_map_rows_read_markers_lines_and_their_tooltips():
    page = (
        'var circle_marker_1 = L.circleMarker(\n [46.1, 53.3],\n {"className": "oilroutes-site site-tengiz", "radius": 7}\n ).addTo(m);\n'
        'circle_marker_1.bindTooltip("<div><b>Tengiz<\\/b><table><tr><th>Source<\\/th><td>KMG 2024<\\/td><\\/tr><\\/table><\\/div>");\n'
        'var poly_line_2 = L.polyline(\n [[46.1, 53.3], [44.7, 37.7]],\n {"className": "oilroutes-leg leg-cpc_pipeline"}\n ).addTo(m);\n'
    )
    rows = reuse.map_rows(page)
    assert rows[0] == {
        "layer": "site",
        "id": "tengiz",
        "lat": 46.1,
        "lon": 53.3,
        "points": "",
        "name": "Tengiz",
        "Source": "KMG 2024",
    }
    assert rows[1]["layer"] == "leg" and rows[1]["points"] == "46.1 53.3;44.7 37.7"


def test_sources_resolve_in_the_bibliography():
    from oilroutes.bib import references

    key = next(iter(references()))
    [row] = reuse.with_sources([{"v": 1, "source": key}])
    assert row["source_reference"].startswith(f"[{key}] ") and "http" in row["source_reference"]


def test_computed_rows_say_they_are_computed_and_from_what():
    caption = 'Share of exports <a class="reference internal" href="bibliography.html#id3">Reuters, 2024</a>.'
    rows = reuse.derived_sources(
        [{"v": 1, "source_reference": ""}, {"v": 2, "source_reference": "[k] x"}], caption, "chapters/01.html"
    )
    assert rows[0]["source_reference"].startswith("Computed by the book (chapters/01.html)")
    assert "Reuters, 2024" in rows[0]["source_reference"] and rows[1]["source_reference"] == "[k] x"


def test_footer_has_licence_version_date_and_citation():
    text = reuse.footer_html()
    for part in ("MIT", "CC BY 4.0", f"Version {reuse.version()}", reuse.build_date(), "Cite as"):
        assert part in text


@pytest.mark.book
def test_every_chart_and_map_offers_its_data_a_citation_and_a_permalink():
    """On the built book: one reuse block per figure, its CSV present, non-empty and sourced."""
    pages = sorted((HTML / "chapters").glob("0[0-5]*.html"))
    assert pages, "build the book first (make book)"
    n_figures = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        figures = len(re.findall(r'class="oilroutes-chart"', text)) + len(re.findall(r"<iframe\b", text))
        blocks = re.findall(
            r'<div class="oilroutes-reuse"><a href="\.\./figures/([^"]+\.csv)" download>.*?'
            r'<a href="#([\w-]+)">Permanent link.*?Cite this figure</summary><p>(.*?)</p>',
            text,
            re.S,
        )
        assert len(blocks) == figures, f"{page.name}: {figures} figures, {len(blocks)} reuse blocks"
        for name, anchor, cite in blocks:
            assert f'id="{anchor}"' in text
            assert anchor in cite and "version" in cite
            with (HTML / "figures" / name).open(encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            assert rows, name
            assert all(r["source_reference"] or r.get("Source") for r in rows), f"{name}: a row without its source"
        n_figures += figures
        assert "CC BY 4.0" in text and "oilroutes-footer" in text
    assert n_figures >= 15


@pytest.mark.book
def test_the_timeline_csv_carries_each_legal_measure_once_with_its_sources():
    """Figure 2.3's CSV: the band's rows are exactly the measures of legal_context.csv, each with its sources' URLs."""
    from oilroutes import data
    from oilroutes.bib import references, split_keys

    path = HTML / "figures" / "02_cpc_disruptions-figure-2-3.csv"
    assert path.exists(), "build the book first (make book)"
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("instrument")]
    legal = data.load("legal_context")
    assert sorted((r["event_id"], r["date"]) for r in rows) == sorted(
        zip(legal["event_id"], legal["date"].dt.strftime("%Y-%m-%d"))
    )
    assert len({r["layer"] for r in rows}) == 1  # one layer of the figure, apart from the events
    refs = references()
    for r in rows:
        for key in split_keys(r["source"]):
            assert refs[key]["url"] in r["source_reference"], (r["event_id"], key)
