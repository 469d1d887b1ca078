"""The maps' basemap: Natural Earth land, coastline and country borders, served by the book itself.

No map requests anything from another origin: there are no web tiles. The
basemap is made once, at build time, from the pinned ``world-atlas`` npm
package (Natural Earth 1:50m admin-0 countries and land, public domain;
checked by sha512 in :mod:`oilroutes.vendor`), clipped to the region the
book's maps show and simplified to about a pixel at their zoom levels (zoom
3 for the overview maps, 6 for the CPC map). Natural Earth treats the Caspian
and Aral seas as water, so they show as such.

It is one static JSON file, ``_static/vendor/basemap.json``. Every map on a
page is its own frame; the first frame to ask fetches the file and keeps the
parsed promise on the page, and the others reuse it, so a page loads the
basemap once however many maps it has. Outside the book (Jupyter, Colab) the
data are written into the map itself.
"""

from __future__ import annotations

import json
from collections import Counter

import branca
from jinja2 import Template

from . import style

# The region the book's maps show: Western Europe to western China.
BBOX = (-15.0, -5.0, 135.0, 75.0)  # lon_min, lat_min, lon_max, lat_max
SIMPLIFY_DEG = 0.02  # about 2 km: below a pixel at zoom 6, the closest the maps get
DIGITS = 3
FILE = "basemap.json"
ATTRIBUTION = "Natural Earth"  # public domain; short, so it fits beside the scale on a phone

LAND_STYLE = {
    "stroke": True,
    "color": style.MAP["coast"],
    "weight": 0.7,
    "fillColor": style.MAP["land"],
    "fillOpacity": 1,
}
BORDER_STYLE = {"color": style.MAP["border"], "weight": 0.8, "dashArray": "3 3"}
WATER = style.MAP["sea"]


def _arcs(topo: dict) -> list[list[list[float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([x * sx + tx, y * sy + ty])
        out.append(pts)
    return out


def _rings_of(geom: dict):
    if geom["type"] == "Polygon":
        yield from geom["arcs"]
    elif geom["type"] == "MultiPolygon":
        for poly in geom["arcs"]:
            yield from poly


def _ring(arcs, indexes):
    out = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(pts if not out else pts[1:])
    return out


def build(topojson_bytes: bytes) -> dict:
    """The basemap from world-atlas's countries-50m TopoJSON: {"land": GeoJSON, "borders": GeoJSON}.

    Land is Natural Earth's land object; borders are the arcs two countries share
    (an arc used by one country only is coastline, drawn as the land's outline).
    """
    import geopandas as gpd
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box, mapping

    topo = json.loads(topojson_bytes)
    arcs = _arcs(topo)
    area = box(*BBOX)

    polys = []
    for g in topo["objects"]["land"]["geometries"]:
        parts = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for p in parts:
            rings = [_ring(arcs, r) for r in p]
            polys.append(Polygon(rings[0], rings[1:]))
    land = gpd.GeoSeries([MultiPolygon(polys)], crs="EPSG:4326").make_valid().clip(area)
    land = land.simplify(SIMPLIFY_DEG, preserve_topology=True)

    uses = Counter()
    for g in topo["objects"]["countries"]["geometries"]:
        for ring in _rings_of(g):
            uses.update(i if i >= 0 else ~i for i in ring)
    shared = [LineString(arcs[i]) for i, n in sorted(uses.items()) if n >= 2 and len(arcs[i]) > 1]
    borders = gpd.GeoSeries([MultiLineString(shared)], crs="EPSG:4326").clip(area)
    borders = borders.simplify(SIMPLIFY_DEG)

    def collection(series) -> dict:
        geoms = [g for g in series if not g.is_empty]
        return {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": _round(mapping(g))} for g in geoms],
        }

    return {"attribution": ATTRIBUTION, "bbox": list(BBOX), "land": collection(land), "borders": collection(borders)}


def _round(obj):
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, DIGITS) for v in obj]
        return [_round(v) for v in obj]
    return obj


def dumps(basemap: dict) -> str:
    return json.dumps(basemap, separators=(",", ":"))


class Basemap(branca.element.MacroElement):
    """Draw the basemap under a map's features; fetch it once per page, or use inline data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            map.createPane('basemap');
            map.getPane('basemap').style.zIndex = 150;
            map.getContainer().style.background = {{ this.water|tojson }};
            map.attributionControl.addAttribution({{ this.attribution|tojson }});
            var host = window;
            try { if (window.parent !== window && window.parent.document) { host = window.parent; } } catch (e) {}
            {% if this.inline %}
            var basemap = Promise.resolve({{ this.inline }});
            {% else %}
            var basemap = host.__oilroutesBasemap || (host.__oilroutesBasemap =
                host.fetch({{ this.url|tojson }}).then(function(r) { return r.json(); }));
            {% endif %}
            basemap.then(function(b) {
                L.geoJSON(b.land, {pane: 'basemap', interactive: false, style: {{ this.land|tojson }}}).addTo(map);
                L.geoJSON(b.borders, {pane: 'basemap', interactive: false, style: {{ this.borders|tojson }}}).addTo(map);
            }).catch(function(e) { console.warn('basemap not loaded', e); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, url: str | None = None, inline: str | None = None):
        super().__init__()
        self._name = "Basemap"
        self.url, self.inline = url, inline
        self.water, self.attribution = WATER, ATTRIBUTION
        self.land, self.borders = LAND_STYLE, BORDER_STYLE


def url() -> str | None:
    """Where the built book serves the basemap (pages live one level down, in chapters/)."""
    return "../_static/vendor/" + FILE if style.asset_mode() == "local" else None


def add_basemap(m) -> None:
    """Put the Natural Earth basemap under map ``m``: no tiles, no request to another origin."""
    where = url()
    if where:
        Basemap(url=where).add_to(m)
    else:
        # outside the book (Jupyter, Colab, an installed wheel): the copy that ships in the package, so nothing
        # is downloaded while a chapter runs
        Basemap(inline=shipped()).add_to(m)


def shipped() -> str:
    """The basemap that ships inside the package (``_assets/basemap.json``, the same file the build serves)."""
    from importlib import resources

    return resources.files("oilroutes").joinpath("_assets", FILE).read_text(encoding="utf-8")
