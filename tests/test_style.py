"""One style, from one place: colours in style.py, library versions in the vendoring list, nothing on import."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oilroutes import maps, render, style, vendor

SRC = Path(__file__).resolve().parents[1] / "src" / "oilroutes"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def test_no_hex_colour_outside_style_py():
    found = [
        f"{p.name}:{n}: {line.strip()}"
        for p in sorted(SRC.rglob("*.py"))
        if p.name != "style.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if HEX.search(line)
    ]
    assert not found, "colours belong in style.py:\n" + "\n".join(found)


def test_the_hex_check_finds_a_colour():
    assert HEX.search('color="#b2182b"') and HEX.search("fill: #fff;") and not HEX.search("issue #12")


def test_library_addresses_follow_the_pinned_versions():
    pinned = {name: version for name, version, *_ in vendor.PACKAGES}
    for key, (package, path) in style.ASSETS.items():
        assert style.CDN[key] == f"https://cdn.jsdelivr.net/npm/{package}@{pinned[package]}/{path}"
        assert style.LOCAL[key].startswith(package + "/")
    assert not re.search(r"@\d+\.\d+", (SRC / "style.py").read_text()), "a version is written in style.py"


def test_importing_the_charts_changes_no_altair_setting():
    code = (
        "import altair as alt; before = (alt.renderers.active, alt.theme.active); "
        "import oilroutes.charts, oilroutes.maps, oilroutes.tables; "
        "assert (alt.renderers.active, alt.theme.active) == before, (alt.renderers.active, alt.theme.active); "
        "from oilroutes import render; render.enable(); "
        "assert alt.renderers.active == 'oilroutes' and alt.theme.active == 'oilroutes'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_country_points_ship_with_the_package_and_name_their_source(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("a map tried to download while a chapter runs")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    maps.country_points.cache_clear()
    points = maps.country_points()
    assert len(points) > 200 and all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points.values())
    doc = json.loads((SRC / "_assets" / "country_points.json").read_text(encoding="utf-8"))
    assert "Natural Earth" in doc["source"] and "world-atlas" in doc["source"]


def test_chart_specs_cannot_close_their_script():
    out = render.script_json({"title": "</script><script>alert(1)</script>", "note": "<!-- x"})
    assert "</" not in out and "<!--" not in out
    assert json.loads(out) == {"title": "</script><script>alert(1)</script>", "note": "<!-- x"}


@pytest.mark.parametrize(
    "palette",
    ["ROUTE_COLORS", "EVENT_COLORS", "MEASURE_COLORS", "GROUP_COLORS", "VERDICT_COLORS", "PLAN_COLORS", "MAP"],
)
def test_palettes_are_colours(palette):
    assert all(HEX.fullmatch(c) for c in getattr(style, palette).values())


def test_the_shipped_basemap_is_the_one_the_build_serves():
    from oilroutes import basemap, vendor

    served = (vendor.ensure_vendor(quiet=True) / basemap.FILE).read_text(encoding="utf-8")
    assert basemap.shipped() == served, "regenerate src/oilroutes/_assets/basemap.json from the vendored build"


def test_the_shipped_country_points_are_what_the_vendoring_generates():
    import json

    from oilroutes import vendor

    generated = json.loads((vendor.ensure_vendor(quiet=True) / "country_points.json").read_text())
    shipped = json.loads((SRC / "_assets" / "country_points.json").read_text(encoding="utf-8"))
    assert shipped["points"] == generated
