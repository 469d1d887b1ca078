"""Loaders: each returns a validated DataFrame or GeoDataFrame, typed by the descriptor.

Every loader validates its file first (see :mod:`oilroutes.validate`), so a bad
file stops with a :class:`~oilroutes.errors.DataError` naming file, row and field.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, shape

from .paths import data_dir
from .validate import fingerprint, read_geometries, read_table

F = TypeVar("F", bound=Callable)


def _column(values: list, t: str):
    """One column of a validated table as its descriptor types it: integers as Int64, numbers as float64,
    booleans as boolean, dates as datetimes and the rest as objects; an empty cell is missing.

    Built from the cells in one pass (a frame of strings converted column by column took twice as long,
    and every chapter's kernel types each table it reads)."""
    if t == "integer":
        return pd.array([None if v in ("", None) else int(v) for v in values], dtype="Int64")
    if t == "number":
        return np.array([np.nan if v in ("", None) else float(v) for v in values], dtype="float64")
    if t == "boolean":  # cells arrive normalised to true/false by the validator
        return pd.array([None if v in ("", None) else str(v).lower() == "true" for v in values], dtype="boolean")
    if t in ("date", "datetime"):
        return pd.to_datetime(pd.Series([None if v in ("", None) else v for v in values], dtype=object))
    return pd.Series([None if v == "" else v for v in values], dtype=object)


def _typed(res: dict, rows: list[dict]) -> pd.DataFrame:
    fields = res["schema"]["fields"]
    columns = {f["name"]: _column([r.get(f["name"]) for r in rows], f["type"]) for f in fields}
    return pd.DataFrame(columns, columns=[f["name"] for f in fields])


def load(name: str) -> pd.DataFrame:
    """Any tabular resource of the data package, validated and typed.

    The validated table is cached by the content of the data package, and so is
    its typed frame; each call returns a copy of that frame, free to change.
    """
    table = read_table(name)
    if table.typed is None:
        table.typed = _typed(table.res, [dict(r) for r in table.rows])
    return table.typed.copy()


def derived(fn: F) -> F:
    """Keep what a derivation from the data package returns, per content of the package and per arguments.

    A chapter asks for the same derivation several times (chapter 4 for the chain table sixteen
    times, chapter 1 for the export estimates six), and the loaders already key each table on the
    package's content (:func:`oilroutes.validate.fingerprint`, which changes with any edit to a data
    file or the bibliography); a derivation is kept under the same key, so it is worked out once per
    content in a process and again after any edit. Each call returns a copy, free to change. A call
    whose arguments cannot be a key (a frame passed in) is worked out afresh.
    """

    @functools.lru_cache(maxsize=16)
    def kept(directory: str, content: str, args: tuple, kwargs: tuple):
        return fn(*args, **dict(kwargs))

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return fn(*args, **kwargs)
        d = data_dir()
        value = kept(str(d), fingerprint(d), *key)
        return value.copy() if isinstance(value, (pd.DataFrame, pd.Series)) else copy.deepcopy(value)

    wrapper.cache_clear = kept.cache_clear
    return wrapper


def load_sites() -> gpd.GeoDataFrame:
    """Fields, terminals, ports, pump stations and border points, as points (EPSG:4326)."""
    df = load("sites")
    geom = [Point(lon, lat) for lon, lat in zip(df["lon"], df["lat"])]
    return gpd.GeoDataFrame(df, geometry=geom, crs="EPSG:4326")


def load_routes() -> pd.DataFrame:
    """The export routes: whether each crosses Russia, and which route it belongs to."""
    return load("routes")


def load_legs() -> gpd.GeoDataFrame:
    """Route legs (pipeline, tanker, rail) as schematic lines, joined with their route's attributes."""
    df = load("route_legs")  # validates the GeoJSON, its properties and its points
    geometry = [shape(g) for g in read_geometries("route_legs")]  # the same bytes the validator read
    gdf = gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")
    routes = load_routes()[["route_id", "name", "crosses_russia", "parent_route"]].rename(
        columns={"name": "route_name"}
    )
    return gdf.merge(routes, on="route_id", how="left")


def load_exports_by_route(preferred_only: bool = False) -> pd.DataFrame:
    """Kazakh crude exports by route and year (Mt), with the period each figure covers."""
    df = load("exports_by_route")
    return df[df["preferred"]].reset_index(drop=True) if preferred_only else df


def load_exports_total(preferred_only: bool = False) -> pd.DataFrame:
    """Kazakhstan's total crude and condensate exports by year (Mt)."""
    df = load("exports_total")
    return df[df["preferred"]].reset_index(drop=True) if preferred_only else df
