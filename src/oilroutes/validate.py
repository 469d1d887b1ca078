"""Validate the data package against its own descriptor (the codebook).

The descriptor ``data/datapackage.json`` is a Frictionless Data Package. Each
resource's file is found in one place (:func:`oilroutes.paths.resource_path`,
inside the data directory only), read once as UTF-8, and checked in three steps:

1. the descriptor's own shape (:func:`check_descriptor`): keys, types, known
   field types, rules that name real fields;
2. the Table Schema, by Frictionless: types, required cells, ranges,
   enumerations, patterns and primary keys (GeoJSON feature properties are
   described by a Table Schema like CSV columns);
3. the rules Table Schema cannot express, one function per rule, chosen from
   :data:`RULES` (in :mod:`oilroutes.rules`).

Cells are normalised before the rules run (booleans to ``true``/``false``,
dates to ISO), so a rule that counts or compares sees what the loaders see.

Every failure is raised as :class:`~oilroutes.errors.DataError` naming the file,
the row (the CSV line where the record starts, even after a multi-line quoted
cell; or the GeoJSON feature number) and the field.

A table is validated once per content in a process. Where the environment names
a store (:data:`oilroutes.paths.STORE_ENV`, which the build sets for its kernels
and the tests for theirs), a validated table is also kept there as JSON, keyed by
the data's content, the data directory and the validator's own code, and read by
the other processes instead of validating it again (:func:`kept_path`). Only a
table that passed is kept; an edited file has another key and is validated again.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import DataError
from .paths import STORE_ENV, bib_path, data_dir, resource_path, shown
from .rules import RULES, Table, as_date

DESCRIPTOR = "datapackage.json"
FIELD_TYPES = {"string", "number", "integer", "boolean", "date", "datetime"}
FORMATS = {"csv", "geojson"}
_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}


# ---------------------------------------------------------------- reading bytes


def read_text(path: Path, file: str, csv_header: bool = False) -> str:
    """A data file's text, which must be UTF-8; anything else is named, with the line where it shows."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:400]:
        raise DataError(
            file,
            [
                (
                    None,
                    None,
                    "the file is UTF-16 (byte-order mark or NUL bytes found); UTF-8 is required: save it as UTF-8",
                )
            ],
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark, as spreadsheets write it, is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        field = _field_at(raw, line, csv_header)
        raise DataError(
            file,
            [
                (
                    line,
                    field,
                    f"byte 0x{byte:02x} is not UTF-8: the file looks like latin-1 "
                    "(ISO-8859-1 / Windows-1252) text; UTF-8 is required: save it as UTF-8",
                )
            ],
        ) from None


def _field_at(raw: bytes, line: int, csv_header: bool) -> str | None:
    """The CSV column of the first non-ASCII character on a line (latin-1 maps bytes 1:1)."""
    if not csv_header:
        return None
    lines = raw.decode("latin-1").splitlines()
    header = next(csv.reader([lines[0]]), [])
    cells = next(csv.reader([lines[line - 1]]), []) if line <= len(lines) else []
    for i, cell in enumerate(cells):
        if any(ord(c) > 127 for c in cell):
            return header[i] if i < len(header) else None
    return header[0] if line == 1 and header else None


# ---------------------------------------------------------------- the descriptor


def _descriptor_path(directory: Path | None) -> Path:
    return (Path(directory) if directory else data_dir()) / DESCRIPTOR


def load_descriptor(directory: Path | None = None) -> dict[str, Any]:
    """The parsed descriptor, its shape checked (see :func:`check_descriptor`)."""
    path = _descriptor_path(directory)
    file = "data/" + DESCRIPTOR
    if not path.is_file():
        raise DataError(file, [(None, None, "the data package descriptor is missing")])
    text = read_text(path, file)
    try:
        desc = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise DataError(file, [(exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None
    except ValueError as exc:
        raise DataError(file, [(None, None, str(exc))]) from None
    problems = check_descriptor(desc)
    if problems:
        raise DataError(file, problems)
    return desc


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number: write a finite number or null")


def _is_str_list(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def check_descriptor(desc: Any) -> list:
    """Problems with the descriptor's shape, each as (None, 'where.in.descriptor', message)."""
    if not isinstance(desc, dict):
        return [(None, None, f"the descriptor must be a JSON object, not a {type(desc).__name__}")]
    resources = desc.get("resources")
    if not isinstance(resources, list) or not resources:
        return [(None, "resources", "the descriptor needs a non-empty 'resources' list")]
    problems = []
    names = [r.get("name") if isinstance(r, dict) else None for r in resources]
    for i, res in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(res, dict):
            problems.append((None, where, f"a resource must be an object, not a {type(res).__name__}"))
            continue
        where = f"resources[{i}] ({res.get('name')})"
        problems += _check_resource(res, where, names)
    dupes = sorted({n for n in names if isinstance(n, str) and names.count(n) > 1})
    problems += [(None, f"resources ({n})", f"resource name '{n}' is used twice") for n in dupes]
    return problems


def _check_resource(res: dict, where: str, names: list) -> list:
    problems = [
        (None, f"{where}.{key}", f"'{key}' is missing or not a string")
        for key in ("name", "path")
        if not isinstance(res.get(key), str) or not res.get(key)
    ]
    fmt = res.get("format", "csv")
    if fmt not in FORMATS:
        problems.append((None, f"{where}.format", f"format {fmt!r} is not one of {sorted(FORMATS)}"))
    schema = res.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
        return problems + [(None, f"{where}.schema", "'schema' must be an object with a non-empty 'fields' list")]
    problems += _check_fields(schema["fields"], where)
    problems += _check_keys(schema, res, where, names)
    fields = {f["name"] for f in schema["fields"] if isinstance(f, dict) and isinstance(f.get("name"), str)}
    for key, (ok, what) in RULE_SHAPES.items():
        if key in res and not ok(res[key], fields):
            problems.append((None, f"{where}.{key}", what))
    return problems


def _check_fields(fields: list, where: str) -> list:
    problems = []
    for j, f in enumerate(fields):
        fw = f"{where}.schema.fields[{j}]"
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            problems.append((None, fw, "a field must be an object with a string 'name'"))
        elif f.get("type") not in FIELD_TYPES:
            problems.append(
                (
                    None,
                    f"{fw}.type",
                    f"field '{f['name']}' has unknown type {f.get('type')!r}; known: {', '.join(sorted(FIELD_TYPES))}",
                )
            )
        elif not isinstance(f.get("constraints", {}), dict):
            problems.append((None, f"{fw}.constraints", "'constraints' must be an object"))
    return problems


def _check_keys(schema: dict, res: dict, where: str, names: list) -> list:
    problems = []
    pk = schema.get("primaryKey")
    if pk is not None and not (isinstance(pk, str) or _is_str_list(pk)):
        problems.append((None, f"{where}.schema.primaryKey", "'primaryKey' must be a field name or a list of them"))
    for k, fk in enumerate(schema.get("foreignKeys", [])):
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if not (isinstance(fk.get("fields") if ref else None, str) and isinstance(ref.get("fields"), str)):
            problems.append(
                (
                    None,
                    f"{where}.schema.foreignKeys[{k}]",
                    "a foreign key needs 'fields' and 'reference': {'resource', 'fields'}, each a single field name",
                )
            )
        elif ref.get("resource", res.get("name")) not in names:
            problems.append(
                (None, f"{where}.schema.foreignKeys[{k}]", f"refers to unknown resource {ref.get('resource')!r}")
            )
    return problems


def _order_ok(v, fields) -> bool:
    return isinstance(v, list) and all(_is_str_list(p) and len(p) == 2 and set(p) <= fields for p in v)


def _sum_ok(v, fields) -> bool:
    return isinstance(v, list) and all(
        isinstance(s, dict) and s.get("field") in fields and isinstance(s.get("total"), (int, float)) for s in v
    )


def _preferred_ok(v, fields) -> bool:
    return _is_str_list(v) and set(v) <= fields and "preferred" in fields


def _bbox_ok(v, fields) -> bool:
    boxes = v.get("boxes") if isinstance(v, dict) else None
    return (
        isinstance(boxes, dict)
        and {v.get("field"), v.get("lat"), v.get("lon")} <= fields
        and all(
            isinstance(b, list) and len(b) == 4 and all(isinstance(x, (int, float)) for x in b) for b in boxes.values()
        )
    )


def _waypoints_ok(v, fields) -> bool:
    return (
        isinstance(v, dict)
        and v.get("field") in fields
        and isinstance(v.get("resource"), str)
        and isinstance(v.get("tolerance_km"), (int, float))
    )


# The shape each custom rule's descriptor entry must have: key -> (check, what it must be).
RULE_SHAPES = {
    "x-order": (_order_ok, "'x-order' must be a list of [earlier, later] pairs of the resource's fields"),
    "x-sum": (_sum_ok, "'x-sum' must be a list of {'field': <field>, 'total': <number>}"),
    "x-one-preferred": (
        _preferred_ok,
        "'x-one-preferred' must list the resource's grouping fields (and it needs a 'preferred' field)",
    ),
    "x-bbox": (
        _bbox_ok,
        "'x-bbox' needs 'field', 'lat', 'lon' (fields) and 'boxes': {value: [lon_min, lat_min, lon_max, lat_max]}",
    ),
    "x-waypoints": (_waypoints_ok, "'x-waypoints' needs 'field', 'resource' and 'tolerance_km'"),
}


def resource_descriptor(name: str, directory: Path | None = None) -> dict[str, Any]:
    desc = load_descriptor(directory)
    for res in desc["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(sorted(r["name"] for r in desc["resources"]))
    raise DataError(
        "data/" + DESCRIPTOR, [(None, "name", f"no resource named {name!r} in the data package; known: {known}")]
    )


# ---------------------------------------------------------------- content fingerprint (cache key)


RACY_S = 1.0  # a file changed this close to its last hashing is hashed again (file times are coarse)
_HASHED: dict[str, tuple[tuple, str, int]] = {}  # directory -> (stats of its files, digest, when hashed, ns)
_FILE_HASHED: dict[str, tuple[tuple, str, int]] = {}  # file -> (its stats, digest, when hashed, ns)


def _stats(files: list[Path]) -> tuple:
    out = []
    for p in files:
        try:
            st = p.stat()
        except OSError:
            out.append(None)
        else:
            out.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out)


def _settled(stats: tuple, hashed_ns: int) -> bool:
    """True if every file's times lie more than :data:`RACY_S` before its last hashing (see :func:`fingerprint`)."""
    return all(s is not None and max(s[2], s[3]) < hashed_ns - RACY_S * 1e9 for s in stats)


def file_digest(path: Path) -> str:
    """sha256 of one file's bytes, kept with its stats and trusted as :func:`fingerprint` trusts them."""
    key = str(path)
    kept = _FILE_HASHED.get(key)
    if kept is not None:
        stats, digest, hashed_ns = kept
        if _stats([Path(path)]) == stats and _settled(stats, hashed_ns):
            return digest
    hashed_ns = time.time_ns()
    stats = _stats([Path(path)])
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    _FILE_HASHED[key] = (stats, digest, hashed_ns)
    return digest


def fingerprint(directory: Path | None = None) -> str:
    """sha256 over the descriptor, every resource file and the bibliography: changes with content, never with mtime.

    Every loader asks for it, so the digest is kept with the files' stats (inode, size, modification
    and change times) and hashed again whenever any of them differs. As git does with its index,
    stats are not trusted for a file changed within :data:`RACY_S` of the last hashing, since two
    writes that close may leave the same times: such a file is hashed again each time.
    """
    d = Path(directory) if directory else data_dir()
    key = str(d)
    kept = _HASHED.get(key)
    if kept is not None:
        stats, digest, hashed_ns = kept
        files = [p for p, _ in stats]
        if _stats(files) == tuple(s for _, s in stats) and _settled(tuple(s for _, s in stats), hashed_ns):
            return digest
    hashed_ns = time.time_ns()
    h = hashlib.sha256()
    desc_path = _descriptor_path(d)
    files = [desc_path]
    h.update(desc_path.read_bytes() if desc_path.is_file() else b"-")
    try:
        desc = json.loads(desc_path.read_text(encoding="utf-8", errors="replace"))
        paths = [r.get("path") for r in desc.get("resources", []) if isinstance(r, dict)]
    except (ValueError, AttributeError, OSError):
        paths = []
    for rel in paths:
        try:
            p = resource_path(rel, d)
        except DataError:
            continue
        files.append(p)
        h.update(str(rel).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"-"))
    try:
        bib = bib_path(d)
        files.append(bib)
        h.update(bib.read_bytes())
    except DataError:
        h.update(b"no-bib")
        files.append(d / "references.bib")
        files.append(d.parent / "references.bib")
    digest = h.hexdigest()
    stats = _stats(files)
    _HASHED[key] = (tuple(zip(files, stats)), digest, hashed_ns)
    return digest


# ---------------------------------------------------------------- Table Schema (Frictionless)


def _frictionless_problems(table: list[list], schema: dict[str, Any], row_label) -> list:
    # imported here, when a file is checked, not whenever a table is loaded: a process that finds every
    # table it loads already checked (the store of checked data) never pays Frictionless's 0.15 s import
    import frictionless as fl

    schema = copy.deepcopy(schema)
    schema.pop("foreignKeys", None)
    for f in schema["fields"]:
        for k in [k for k in f if k not in ("name", "type", "format", "constraints", "title", "description")]:
            f.pop(k)
    try:
        resource = fl.Resource(data=table, schema=fl.Schema.from_descriptor(schema))
        report = resource.validate(limit_errors=200)
    except fl.FrictionlessException as exc:
        return [(None, None, f"the schema cannot be used: {exc.error.message}")]
    problems = []
    pk = schema.get("primaryKey")
    pk_label = "+".join(pk) if isinstance(pk, list) else pk
    for row_number, field, etype, note, message, cell in report.flatten(
        ["rowNumber", "fieldName", "type", "note", "message", "cell"]
    ):
        row = row_label(row_number)
        if etype == "primary-key":
            problems.append((row, pk_label, f"duplicate key: {note}"))
        elif etype == "type-error":
            problems.append((row, field, f"value {cell!r} is not of the declared type ({note})"))
        elif etype == "constraint-error":
            problems.append((row, field, f"value {cell!r} breaks the rule: {note}"))
        elif etype == "blank-row":
            problems.append((row, None, "blank row"))
        else:
            problems.append((row, field, message))
    return problems


def _label_from(lines: list[int]):
    """Frictionless numbers inline rows 2, 3, ...; map them to the true line (or feature) number."""

    def label(n):
        if n is None:
            return None
        i = n - 2
        return lines[i] if 0 <= i < len(lines) else n

    return label


def _boolean(v):
    if v is True or (isinstance(v, str) and v in _TRUE) or (type(v) is int and v == 1):
        return "true"
    if v is False or (isinstance(v, str) and v in _FALSE) or (type(v) is int and v == 0):
        return "false"
    return v


def _iso_date(v):
    d = as_date(v) if isinstance(v, str) and v else None
    return v if d is None else d.isoformat()


_NORMALISE = {"boolean": _boolean, "date": _iso_date}


def _normalise(rows: list[dict], fields: list[dict]) -> None:
    """Spell cells one way before any rule counts or compares them: booleans true/false, dates ISO."""
    for f in fields:
        spell = _NORMALISE.get(f["type"])
        if spell:
            for row in rows:
                if f["name"] in row:
                    row[f["name"]] = spell(row[f["name"]])


# ---------------------------------------------------------------- reading a resource


def _parse_csv(text: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, records and the line each record STARTS on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    records, lines = [], []
    previous = reader.line_num
    for rec in reader:
        records.append(rec)
        lines.append(previous + 1)
        previous = reader.line_num
    # a trailing empty line is not a blank row
    while records and records[-1] == [] and text.endswith("\n"):
        records.pop()
        lines.pop()
    return header, records, lines


def _check_header(header: list[str], schema: dict, file: str) -> None:
    expected = [f["name"] for f in schema["fields"]]
    missing = [f for f in expected if f not in header]
    extra = [f for f in header if f not in expected]
    problems = [(1, f, "column is missing from the header") for f in missing]
    problems += [(1, f, "column is not described in datapackage.json") for f in extra]
    if problems:
        raise DataError(file, problems)


def _read_csv(res: dict, path: Path, file: str) -> Table:
    text = read_text(path, file, csv_header=True)
    header, records, lines = _parse_csv(text)
    _check_header(header, res["schema"], file)
    problems = _frictionless_problems([header] + records, res["schema"], _label_from(lines))
    rows = [
        dict(zip(header, rec + [""] * (len(header) - len(rec)))) if rec else {h: "" for h in header} for rec in records
    ]
    return Table(res["name"], res, rows, lines, file, problems=problems)


def _read_geojson(res: dict, path: Path, file: str) -> Table:
    text = read_text(path, file)
    try:
        doc = json.loads(text)  # NaN and Infinity parse, so that the non-finite rule names their feature and field
    except json.JSONDecodeError as exc:
        raise DataError(
            file, [(None, None, f"malformed GeoJSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise DataError(
            file, [(None, "type", "malformed GeoJSON: the file must be a FeatureCollection with a 'features' list")]
        )
    feats = doc["features"]
    rows = [
        dict(f["properties"]) if isinstance(f, dict) and isinstance(f.get("properties"), dict) else {} for f in feats
    ]
    geoms = [f.get("geometry") if isinstance(f, dict) else None for f in feats]
    lines = list(range(1, len(feats) + 1))
    names = [f["name"] for f in res["schema"]["fields"]]
    table = [names] + [[_jsonable(props.get(n)) for n in names] for props in rows]
    problems = _frictionless_problems(table, res["schema"], _label_from(lines))
    return Table(res["name"], res, rows, lines, file, geometries=geoms, problems=problems)


def _jsonable(v):
    """A GeoJSON property as Frictionless should see it: lists and objects as JSON text (so they fail a type check)."""
    return json.dumps(v) if isinstance(v, (list, dict)) else v


def _read_table(name: str, d: Path) -> Table:
    res = resource_descriptor(name, d)
    path = resource_path(res["path"], d, name)
    file = shown(path, d)
    if not path.is_file():
        raise DataError(file, [(None, None, f"the file for resource '{name}' is missing (expected {file})")])
    reader = _read_geojson if res.get("format", "csv") == "geojson" else _read_csv
    table = reader(res, path, file)
    _normalise(table.rows, res["schema"]["fields"])
    table.directory = d
    table.lookup = lambda other: read_rows(other, d)
    for rule in RULES.values():
        table.problems += rule(table)
    if table.problems:
        unique = list(dict.fromkeys(table.problems))
        raise DataError(file, sorted(unique, key=lambda p: p[0] or 0))
    return table


# ---------------------------------------------------------------- validated tables kept between processes

_STORE_CODE = ("validate.py", "rules.py", "bib.py", "paths.py", "errors.py")  # all the validator imports (a test)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The validator's own code and Frictionless's version: a kept table is valid for these only."""
    from importlib.metadata import version

    h = hashlib.sha256(version("frictionless").encode())
    for name in _STORE_CODE:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()


def kept_path(*key: str) -> Path | None:
    """Where a result checked from ``key`` (a content digest and what else it depends on) is kept for
    other processes, with the validator's code in the key; None when no store is set."""
    root = os.environ.get(STORE_ENV)
    if not root:
        return None
    digest = hashlib.sha256("\0".join((*key, _code_digest())).encode()).hexdigest()
    return Path(root) / digest[:2] / f"{digest[2:34]}.json"


def keep(value, kept: Path) -> None:
    """Write a checked result, as JSON, for other processes; a store that cannot be written is only slower."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        part = kept.with_suffix(f".{os.getpid()}.part")
        part.write_text(json.dumps(value), encoding="utf-8")
        os.replace(part, kept)  # atomic: another process reads the whole of it or nothing
    except (OSError, TypeError, ValueError):
        pass


def kept(path: Path | None):
    """A result another process kept at ``path``; None if there is none, or it cannot be read."""
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # half-written by a process that died, or garbled: check again


_KEPT_FIELDS = ("name", "res", "rows", "lines", "file", "geometries")


@lru_cache(maxsize=128)
def _cached(name: str, directory: str, content: str) -> Table:
    """A resource validated once per content in this process, and (with :data:`STORE_ENV` set) once
    per content, validator code and data directory among all processes that share the store."""
    d = Path(directory)
    path = kept_path("table", name, directory, content)
    doc = kept(path)
    try:
        table = Table(*(doc[f] for f in _KEPT_FIELDS)) if isinstance(doc, dict) and doc.get("name") == name else None
    except (KeyError, TypeError):
        table = None
    if table is None:
        table = _read_table(name, d)
        if path is not None:
            keep({f: getattr(table, f) for f in _KEPT_FIELDS}, path)
    table.directory = d
    table.lookup = lambda other: read_rows(other, d)
    return table


def read_table(name: str, directory: Path | None = None) -> Table:
    d = Path(directory) if directory else data_dir()
    return _cached(name, str(d), fingerprint(d))


def read_rows(name: str, directory: Path | None = None) -> list[dict]:
    """Validated, normalised rows of a resource, as plain dicts (CSV cells as strings; GeoJSON properties)."""
    return [dict(r) for r in read_table(name, directory).rows]


def read_geometries(name: str, directory: Path | None = None) -> list[dict]:
    """The validated GeoJSON geometries of a resource, in feature order."""
    return [copy.deepcopy(g) for g in read_table(name, directory).geometries or []]


def validate_package(directory: Path | None = None) -> dict[str, int]:
    """Validate every resource; return the row count of each. Raises DataError on the first bad file."""
    d = Path(directory) if directory else data_dir()
    descriptor = load_descriptor(d)
    return {res["name"]: len(read_rows(res["name"], d)) for res in descriptor["resources"]}


def main() -> int:
    """``python -m oilroutes.validate``: check the whole data package and the bibliography; on a problem, print
    the file, row and field of each (no traceback) and return 1. With a store set (:data:`STORE_ENV`), what it
    checks is kept there for the chapters' kernels."""
    import sys

    from .bib import references

    try:
        counts = validate_package()
        refs = references()
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(counts)} tables, {sum(counts.values())} rows and {len(refs)} references checked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
