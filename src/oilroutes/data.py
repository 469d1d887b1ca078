"""Loaders: each returns a validated DataFrame or GeoDataFrame, typed by the descriptor.

Every loader validates its file first (see :mod:`oilroutes.validate`), so a bad
file stops with a :class:`~oilroutes.errors.DataError` naming file, row and field.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, shape

from .validate import read_geometries, read_table


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
