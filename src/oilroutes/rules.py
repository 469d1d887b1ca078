"""The data rules Table Schema cannot express: one function per rule, chosen from :data:`RULES`.

Each rule takes a :class:`Table` (a resource's normalised rows, the line or
feature number of each, and its descriptor) and returns a list of problems,
``(row, field, message)``; an empty list when the rule does not apply or holds.
:mod:`oilroutes.validate` runs every rule in the table on every resource.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

Problem = tuple  # (row | None, field | None, message)


@dataclass
class Table:
    """One resource as the rules see it."""

    name: str
    res: dict
    rows: list[dict]
    lines: list[int]
    file: str = ""
    geometries: list | None = None
    problems: list = field(default_factory=list)
    directory: Path | None = None
    lookup: Callable[[str], list[dict]] | None = None
    typed: Any = None  # the loaders' DataFrame, made once for this content (oilroutes.data)

    @property
    def fields(self) -> dict[str, dict]:
        return {f["name"]: f for f in self.res["schema"]["fields"]}

    def label(self, i: int) -> int:
        return self.lines[i]


# ---------------------------------------------------------------- typed cells


def as_number(v: Any) -> float | None:
    if v is None or v == "" or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def as_date(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if not isinstance(v, str) or not v:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    return None


def typed(f: dict, v: Any):
    """A cell as the value its field's type says, or None when blank or unreadable (the schema check reports those)."""
    if f.get("type") in ("number", "integer"):
        return as_number(v)
    if f.get("type") in ("date", "datetime"):
        return as_date(v)
    return None if v in (None, "") else v


def km_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------- the rules


def non_empty(t: Table) -> list[Problem]:
    """A resource the book reads must have rows (a header alone is an empty table, not data)."""
    if t.rows or t.res.get("x-may-be-empty"):
        return []
    return [(None, None, f"resource '{t.name}' has no rows: the book needs at least one")]


_NON_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}


def non_finite(t: Table) -> list[Problem]:
    """Numbers must be finite: inf, nan and overflowing literals such as 1e400 are refused."""
    out = []
    numeric = [n for n, f in t.fields.items() if f.get("type") in ("number", "integer")]
    for i, row in enumerate(t.rows):
        for n in numeric:
            v = row.get(n)
            bad = isinstance(v, str) and v.strip().lower() in _NON_FINITE
            x = as_number(v)
            if bad or (x is not None and not math.isfinite(x)):
                out.append((t.label(i), n, f"value {v!r} is not a finite number"))
    return out


def blank_text(t: Table) -> list[Problem]:
    """A text cell is either empty or says something: only spaces is neither."""
    out = []
    text = [n for n, f in t.fields.items() if f.get("type") == "string"]
    for i, row in enumerate(t.rows):
        for n in text:
            v = row.get(n)
            if isinstance(v, str) and v and not v.strip():
                out.append((t.label(i), n, "text is blank (only spaces): write the value or leave the cell empty"))
    return out


def source_keys(t: Table) -> list[Problem]:
    """Every key in a ``source`` cell resolves in references.bib."""
    if "source" not in t.fields:
        return []
    from .bib import references, split_keys
    from .paths import bib_path

    refs = references(bib_path(t.directory))
    out = []
    for i, row in enumerate(t.rows):
        for key in split_keys(row.get("source") or ""):
            if key not in refs:
                out.append((t.label(i), "source", f"source key '{key}' is not in references.bib"))
    return out


def order(t: Table) -> list[Problem]:
    """Declared pairs ``x-order: [[earlier, later]]`` hold, compared as numbers or dates, never as text."""
    out = []
    fields = t.fields
    for lo, hi in t.res.get("x-order", []):
        for i, row in enumerate(t.rows):
            a, b = typed(fields[lo], row.get(lo)), typed(fields[hi], row.get(hi))
            if a is None or b is None or type(a) is not type(b):
                continue
            if b < a:
                out.append((t.label(i), hi, f"{hi} ({row.get(hi)}) is before {lo} ({row.get(lo)})"))
    return out


def sums(t: Table) -> list[Problem]:
    """Declared totals ``x-sum: [{field, total, tolerance}]`` hold (stakes add up to 100%)."""
    out = []
    for rule in t.res.get("x-sum", []):
        total = sum(as_number(row.get(rule["field"])) or 0.0 for row in t.rows)
        if abs(total - rule["total"]) > rule.get("tolerance", 0.01):
            out.append((None, rule["field"], f"the column sums to {total:g}, not {rule['total']:g}"))
    return out


def one_preferred(t: Table) -> list[Problem]:
    """Exactly one row per group (``x-one-preferred``) is marked preferred, whichever spelling of true it uses."""
    groups = t.res.get("x-one-preferred")
    if not groups:
        return []
    seen: dict[tuple, list[int]] = {}
    for i, row in enumerate(t.rows):
        marked = seen.setdefault(tuple(row.get(g) for g in groups), [])
        if str(row.get("preferred")).lower() == "true":  # cells are normalised before the rules run
            marked.append(i)
    out = []
    for key, idx in seen.items():
        label = ", ".join(f"{g}={v}" for g, v in zip(groups, key))
        if len(idx) > 1:
            out.append(
                (
                    t.label(idx[1]),
                    "preferred",
                    f"more than one preferred row for {label} (rows {', '.join(str(t.label(j)) for j in idx)})",
                )
            )
        elif not idx:
            first = next(i for i, r in enumerate(t.rows) if tuple(r.get(g) for g in groups) == key)
            out.append((t.label(first), "preferred", f"no preferred row for {label}: mark the figure the book uses"))
    return out


def foreign_keys(t: Table) -> list[Problem]:
    """Each ``foreignKeys`` value exists in the resource it points to."""
    out = []
    for fk in t.res["schema"].get("foreignKeys", []):
        name, ref = fk["fields"], fk["reference"]
        target = ref.get("resource") or t.name
        target_rows = t.rows if target == t.name else t.lookup(target)
        allowed = {str(r.get(ref["fields"])) for r in target_rows}
        for i, row in enumerate(t.rows):
            v = row.get(name)
            if v not in (None, "") and str(v) not in allowed:
                out.append((t.label(i), name, f"'{v}' is not a {ref['fields']} in {target}"))
    return out


def bbox(t: Table) -> list[Problem]:
    """A site lies inside the box stated for its country or sea (``x-bbox``): catches swapped or mistyped coordinates."""
    spec = t.res.get("x-bbox")
    if not spec:
        return []
    out = []
    key, lat_f, lon_f = spec["field"], spec["lat"], spec["lon"]
    for i, row in enumerate(t.rows):
        place, lat, lon = row.get(key), as_number(row.get(lat_f)), as_number(row.get(lon_f))
        if lat is None or lon is None or place in (None, ""):
            continue
        box = spec["boxes"].get(place)
        if box is None:
            out.append(
                (t.label(i), key, f"no bounding box is stated for '{place}' (x-bbox in datapackage.json): add one")
            )
            continue
        lon0, lat0, lon1, lat1 = box
        if not (lat0 <= lat <= lat1):
            out.append(
                (
                    t.label(i),
                    lat_f,
                    f"latitude {lat} lies outside {place} (lat {lat0}..{lat1}): "
                    "is it mistyped, or swapped with the longitude?",
                )
            )
        if not (lon0 <= lon <= lon1):
            out.append(
                (
                    t.label(i),
                    lon_f,
                    f"longitude {lon} lies outside {place} (lon {lon0}..{lon1}): "
                    "is it mistyped, or swapped with the latitude?",
                )
            )
    return out


def _points(geom: Any) -> list[tuple[float, float]] | None:
    """The [lon, lat] pairs of a geometry's coordinates, or None when they are not lists of numbers."""
    out: list[tuple[float, float]] = []

    def walk(c):
        if (
            isinstance(c, (list, tuple))
            and len(c) >= 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in c[:2])
        ):
            out.append((float(c[0]), float(c[1])))
            return True
        if isinstance(c, (list, tuple)) and c:
            return all(walk(x) for x in c)
        return False

    coords = geom.get("coordinates") if isinstance(geom, dict) else None
    return out if walk(coords) else None


def geojson_geometry(t: Table) -> list[Problem]:
    """Each feature has a geometry of a declared type, with finite lon/lat in range."""
    if t.geometries is None:
        return []
    allowed = set(t.res.get("x-geometry-types", ["LineString"]))
    out = []
    for i, geom in enumerate(t.geometries):
        gtype = geom.get("type") if isinstance(geom, dict) else None
        if gtype not in allowed:
            out.append((t.label(i), "geometry", f"geometry must be one of {sorted(allowed)}, got {gtype or geom!r}"))
            continue
        pts = _points(geom)
        if not pts:
            out.append((t.label(i), "geometry", "coordinates are missing or not lists of [lon, lat] numbers"))
            continue
        for lon, lat in pts:
            if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
                out.append(
                    (t.label(i), "geometry", f"coordinate ({lon}, {lat}) is outside lon -180..180 / lat -90..90")
                )
                break
        if gtype == "LineString" and len(pts) < 2:
            out.append((t.label(i), "geometry", "a LineString needs at least two points"))
    return out


def geojson_properties(t: Table) -> list[Problem]:
    """Feature properties are described like CSV columns: none missing, none undescribed."""
    if t.geometries is None:
        return []
    names = list(t.fields)
    out = []
    for i, props in enumerate(t.rows):
        out += [(t.label(i), n, "property is missing") for n in names if n not in props]
        out += [(t.label(i), n, "property is not described in datapackage.json") for n in props if n not in t.fields]
    return out


def waypoints(t: Table) -> list[Problem]:
    """A leg's points lie within ``tolerance_km`` of the sites its ``waypoints`` names, in order (``x-waypoints``)."""
    spec = t.res.get("x-waypoints")
    if not spec or t.geometries is None:
        return []
    key = spec.get("key", "site_id")
    sites = {r.get(key): r for r in t.lookup(spec["resource"])}
    tol = float(spec["tolerance_km"])
    out = []
    for i, (row, geom) in enumerate(zip(t.rows, t.geometries)):
        ids = [s for s in str(row.get(spec["field"]) or "").split(spec.get("separator", ">")) if s]
        pts = _points(geom)
        if not ids or not pts:
            continue  # reported by the schema and geometry checks
        if len(ids) != len(pts):
            out.append(
                (t.label(i), "geometry", f"the line has {len(pts)} points but {spec['field']} names {len(ids)} sites")
            )
            continue
        for k, (sid, (lon, lat)) in enumerate(zip(ids, pts), start=1):
            site = sites.get(sid)
            if site is None:
                out.append((t.label(i), spec["field"], f"'{sid}' is not a {key} in {spec['resource']}"))
                continue
            s_lon, s_lat = as_number(site.get(spec.get("lon", "lon"))), as_number(site.get(spec.get("lat", "lat")))
            dist = km_between(lon, lat, s_lon, s_lat)
            if dist > tol:
                out.append(
                    (
                        t.label(i),
                        "geometry",
                        f"point {k} ({lon}, {lat}) lies {dist:,.0f} km from its site "
                        f"'{sid}' ({s_lon}, {s_lat}); allowed {tol:g} km (lon and lat swapped?)",
                    )
                )
    return out


RULES: dict[str, Callable[[Table], list[Problem]]] = {
    "non-empty": non_empty,
    "non-finite": non_finite,
    "blank-text": blank_text,
    "source-keys": source_keys,
    "order": order,
    "sum": sums,
    "one-preferred": one_preferred,
    "foreign-keys": foreign_keys,
    "bbox": bbox,
    "geojson-geometry": geojson_geometry,
    "geojson-properties": geojson_properties,
    "waypoints": waypoints,
}
