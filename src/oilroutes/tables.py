"""Tables for the page: the text alternative to each map and chart, formatted for reading."""

from __future__ import annotations

import pandas as pd

from .bib import source_label

BLANK = "—"


def _fmt(v, digits=1):
    return BLANK if v is None or pd.isna(v) else f"{v:,.{digits}f}"


def legs_table(legs: pd.DataFrame):
    """One row per leg: route, mode, capacity as reported, length, status and source."""
    out = pd.DataFrame({
        "Route": legs["route_name"],
        "Leg": legs["name"],
        "Mode": legs["mode"],
        "Capacity": [f"{_fmt(c)} {u}" if not pd.isna(c) else BLANK for c, u in zip(legs["capacity"], legs["capacity_unit"])],
        "Length (km, reported)": [_fmt(v, 0) for v in legs["length_km"]],
        "Status": legs["status"],
        "Source": [source_label(s) for s in legs["source"]],
    })
    return out.style.hide(axis="index")


def split_table(split: pd.DataFrame):
    """Exports by route and year, with the share of the year's total and the source."""
    out = pd.DataFrame({
        "Year": split["year_label"],
        "Route": split["route_name"],
        "Mt": [_fmt(v, 2) for v in split["volume_mt"]],
        "Share (%)": [_fmt(v, 1) for v in split["share_pct"]],
        "Crosses Russia": split["crosses_russia"],
        "Source": [source_label(s) if isinstance(s, str) else BLANK for s in split["source"]],
    })
    return out.style.hide(axis="index")
