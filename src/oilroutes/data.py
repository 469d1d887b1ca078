"""Loaders: each returns a validated DataFrame or GeoDataFrame, typed by the descriptor.

Every loader validates its file first (see :mod:`oilroutes.validate`), so a bad
file stops with a :class:`~oilroutes.errors.DataError` naming file, row and field.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, shape

from .validate import read_geometries, read_table

_DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}


def _typed(res: dict, rows: list[dict]) -> pd.DataFrame:
    fields = res["schema"]["fields"]
    df = pd.DataFrame(rows, columns=[f["name"] for f in fields])
    for f in fields:
        col, t = f["name"], f["type"]
        if t in ("integer", "number"):
            df[col] = pd.to_numeric(df[col].replace("", None), errors="raise").astype(_DTYPES[t])
        elif t == "boolean":
            # cells arrive normalised to true/false by the validator
            df[col] = df[col].map(lambda v: None if v in ("", None) else str(v).lower() == "true").astype("boolean")
        elif t in ("date", "datetime"):
            df[col] = pd.to_datetime(df[col].replace("", None), errors="raise")
        else:
            df[col] = df[col].replace("", None).astype("object")
    return df


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
