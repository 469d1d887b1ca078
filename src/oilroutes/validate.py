"""Validate the data package against its own descriptor (the codebook).

The descriptor ``data/datapackage.json`` is a Frictionless Data Package. Tabular
resources (CSV) are checked by Frictionless against their Table Schema: types,
required cells, ranges, enumerations, patterns and primary keys. On top of that
this module checks what Table Schema cannot express:

* every ``source`` cell resolves in ``references.bib``;
* foreign keys between resources;
* ordered pairs of fields (an event cannot end before it starts), declared in a
  resource's ``x-order`` list;
* GeoJSON resources: well-formed JSON, a FeatureCollection of the declared
  geometry type, coordinates inside the valid range, and feature properties
  that pass the resource's Table Schema.

Every failure is raised as :class:`~oilroutes.errors.DataError` naming the file,
the row (CSV line, or GeoJSON feature number) and the field.
"""

from __future__ import annotations

import copy
import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import frictionless as fl

from .bib import references, split_keys
from .errors import DataError
from .paths import bib_path, data_dir

DESCRIPTOR = "datapackage.json"


def load_descriptor(directory: Path | None = None) -> dict[str, Any]:
    d = Path(directory) if directory else data_dir()
    path = d / DESCRIPTOR
    if not path.is_file():
        raise DataError(str(path), [(None, None, "the data package descriptor is missing")])
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(str(path), [(exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None


def resource_descriptor(name: str, directory: Path | None = None) -> dict[str, Any]:
    for res in load_descriptor(directory)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource named {name!r} in the data package")


def _display(path: Path) -> str:
    """Name a data file the way a reader finds it: data/<file>."""
    return f"data/{path.name}"


def _frictionless_problems(rows_source: dict[str, Any], schema: dict[str, Any], row_label) -> list:
    schema = copy.deepcopy(schema)
    schema.pop("foreignKeys", None)
    for f in schema["fields"]:
        for k in [k for k in f if k not in ("name", "type", "format", "constraints", "title", "description")]:
            f.pop(k)
    resource = fl.Resource(schema=fl.Schema.from_descriptor(schema), **rows_source)
    report = resource.validate(limit_errors=200)
    problems = []
    pk = schema.get("primaryKey")
    pk_label = "+".join(pk) if isinstance(pk, list) else pk
    for row_number, field, etype, note, message, cell in report.flatten(
        ["rowNumber", "fieldName", "type", "note", "message", "cell"]
    ):
        if etype == "primary-key":
            problems.append((row_label(row_number), pk_label, f"duplicate key: {note}"))
        elif etype == "type-error":
            problems.append((row_label(row_number), field, f"value {cell!r} is not of the declared type ({note})"))
        elif etype == "constraint-error":
            problems.append((row_label(row_number), field, f"value {cell!r} breaks the rule: {note}"))
        elif etype in ("missing-label", "blank-label", "incorrect-label", "extra-label", "duplicate-label"):
            problems.append((None, field or note, message))
        elif etype in ("missing-cell", "extra-cell"):
            problems.append((row_label(row_number), field, message))
        elif etype == "blank-row":
            problems.append((row_label(row_number), None, "blank row"))
        else:
            problems.append((row_label(row_number), field, message))
    return problems


def _check_header(path: Path, schema: dict[str, Any]) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh), [])
    expected = [f["name"] for f in schema["fields"]]
    missing = [f for f in expected if f not in header]
    extra = [f for f in header if f not in expected]
    problems = [(None, f, "column is missing from the header") for f in missing]
    problems += [(None, f, "column is not described in datapackage.json") for f in extra]
    if problems:
        raise DataError(_display(path), problems)


def _extra_checks(name: str, rows: list[dict], res: dict, row_label, directory: Path) -> list:
    problems = []
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    if "source" in fields:
        refs = references(bib_path(directory))
        for i, row in enumerate(rows):
            for key in split_keys(row.get("source") or ""):
                if key not in refs:
                    problems.append((row_label(i), "source", f"source key '{key}' is not in references.bib"))
    for lo, hi in res.get("x-order", []):
        for i, row in enumerate(rows):
            a, b = row.get(lo), row.get(hi)
            if a in (None, "") or b in (None, ""):
                continue
            try:
                before = float(b) < float(a)
            except ValueError:
                before = str(b) < str(a)  # ISO dates compare as text
            if before:
                problems.append((row_label(i), hi, f"{hi} ({b}) is before {lo} ({a})"))
    for rule in res.get("x-sum", []):
        total = 0.0
        for row in rows:
            try:
                total += float(row.get(rule["field"]) or 0)
            except ValueError:
                pass  # a type error, already reported by the schema check
        if abs(total - rule["total"]) > rule.get("tolerance", 0.01):
            problems.append((None, rule["field"], f"the column sums to {total:g}, not {rule['total']:g}"))
    group_fields = res.get("x-one-preferred")
    if group_fields:
        seen: dict[tuple, list[int]] = {}
        for i, row in enumerate(rows):
            key = tuple(row.get(g) for g in group_fields)
            if str(row.get("preferred")).lower() == "true":
                seen.setdefault(key, []).append(i)
            else:
                seen.setdefault(key, [])
        for key, idx in seen.items():
            label = ", ".join(f"{g}={v}" for g, v in zip(group_fields, key))
            if len(idx) > 1:
                problems.append((row_label(idx[1]), "preferred", f"more than one preferred row for {label}"))
            elif not idx:
                first = next(i for i, r in enumerate(rows) if tuple(r.get(g) for g in group_fields) == key)
                problems.append((row_label(first), "preferred", f"no preferred row for {label}: mark the figure the book uses"))
    for fk in res["schema"].get("foreignKeys", []):
        field = fk["fields"]
        target = fk["reference"]["resource"]
        target_field = fk["reference"]["fields"]
        target_rows = rows if target == name else read_rows(target, directory)
        allowed = {str(r.get(target_field)) for r in target_rows}
        for i, row in enumerate(rows):
            value = row.get(field)
            if value not in (None, "") and str(value) not in allowed:
                problems.append((row_label(i), field, f"'{value}' is not a {target_field} in {target}"))
    return problems


@lru_cache(maxsize=64)
def _read_rows_cached(name: str, directory: str, mtime: float) -> tuple:
    return tuple(_validated_rows(name, Path(directory)))


def read_rows(name: str, directory: Path | None = None) -> list[dict]:
    """Validated rows of a tabular resource, as plain dicts of strings."""
    d = Path(directory) if directory else data_dir()
    res = resource_descriptor(name, d)
    path = d / res["path"]
    mtime = path.stat().st_mtime if path.exists() else -1.0
    return [dict(r) for r in _read_rows_cached(name, str(d), mtime)]


def _validated_rows(name: str, d: Path) -> list[dict]:
    res = resource_descriptor(name, d)
    path = d / res["path"]
    if not path.is_file():
        raise DataError(_display(path), [(None, None, f"the file for resource '{name}' is missing (expected {path})")])
    if res.get("format") == "geojson":
        return _validate_geojson(name, res, path, d)
    _check_header(path, res["schema"])
    row_label = lambda n: n  # noqa: E731  frictionless numbers rows as physical lines
    problems = _frictionless_problems({"path": path.name, "basepath": str(d)}, res["schema"], row_label)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    problems += _extra_checks(name, rows, res, lambda i: i + 2, d)
    if problems:
        raise DataError(_display(path), sorted(problems, key=lambda p: (p[0] or 0)))
    return rows


def _validate_geojson(name: str, res: dict, path: Path, d: Path) -> list[dict]:
    shown = _display(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(shown, [(None, None, f"malformed GeoJSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise DataError(shown, [(None, "type", "malformed GeoJSON: the file must be a FeatureCollection with a 'features' list")])
    allowed = set(res.get("x-geometry-types", ["LineString"]))
    problems = []
    rows = []
    for i, feat in enumerate(doc["features"], start=1):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(geom, dict) or geom.get("type") not in allowed:
            problems.append((i, "geometry", f"geometry must be one of {sorted(allowed)}, got {geom.get('type') if isinstance(geom, dict) else geom!r}"))
            rows.append({})
            continue
        coords = geom.get("coordinates")
        flat = _flatten_coords(coords)
        if flat is None or not flat:
            problems.append((i, "geometry", "coordinates are missing or not lists of [lon, lat] numbers"))
        else:
            for lon, lat in flat:
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    problems.append((i, "geometry", f"coordinate ({lon}, {lat}) is outside lon -180..180 / lat -90..90"))
                    break
            if geom["type"] == "LineString" and len(flat) < 2:
                problems.append((i, "geometry", "a LineString needs at least two points"))
        props = feat.get("properties") or {}
        rows.append(props)
    schema = res["schema"]
    names = [f["name"] for f in schema["fields"]]
    for i, props in enumerate(rows, start=1):
        missing = [n for n in names if n not in props and props]
        problems += [(i, n, "property is missing") for n in missing]
    table = [names] + [[props.get(n) for n in names] for props in rows]
    problems += _frictionless_problems({"data": table}, schema, lambda n: None if n is None else n - 1)
    problems += _extra_checks(name, rows, res, lambda i: i + 1, d)
    if problems:
        raise DataError(shown, sorted(problems, key=lambda p: (p[0] or 0)))
    return rows


def _flatten_coords(coords) -> list[tuple[float, float]] | None:
    out: list[tuple[float, float]] = []

    def walk(c):
        if isinstance(c, (list, tuple)) and len(c) >= 2 and all(isinstance(v, (int, float)) for v in c[:2]):
            out.append((float(c[0]), float(c[1])))
            return True
        if isinstance(c, (list, tuple)):
            return all(walk(x) for x in c)
        return False

    return out if walk(coords) else None


def validate_package(directory: Path | None = None) -> dict[str, int]:
    """Validate every resource; return the row count of each. Raises DataError on the first bad file."""
    d = Path(directory) if directory else data_dir()
    descriptor = load_descriptor(d)
    return {res["name"]: len(read_rows(res["name"], d)) for res in descriptor["resources"]}
