"""Small helpers the chapters' exercises call, so that a student who changes a year or a ratio gets
an answer or a clear message naming what is missing, never a silent 0% or a NaN crash.

Every function either returns plain Python numbers and names (no numpy scalars, no ids) or raises
:class:`LookupError` naming the year asked for and the years that do have data.
"""

from __future__ import annotations

import math

import pandas as pd

from . import analysis, units
from .analysis import NOT_ITEMISED


def _years(values) -> str:
    return ", ".join(str(int(y)) for y in sorted(set(values)))


def itemised_years(split: pd.DataFrame) -> list[int]:
    """Years in which the sources split exports by route (at least one named route)."""
    return sorted({int(y) for y in split.loc[split["route_id"] != NOT_ITEMISED, "year"]})


def year_split(split: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year's rows of :func:`analysis.route_split`, or a LookupError if no route is itemised that year.

    A year with only a published total (or nothing) has no split: computing a share from it would give
    0% crossing Russia, which is not what the data say.
    """
    rows = split[split["year"] == int(year)]
    if rows.empty or (rows["route_id"] == NOT_ITEMISED).all():
        what = "only a total, no split by route" if len(rows) else "no export figures at all"
        raise LookupError(
            f"{year}: the data package has {what}; years with a split by route: {_years(itemised_years(split))}"
        )
    return rows


def year_row(table: pd.DataFrame, year: int, what: str) -> pd.Series:
    """The row of ``table`` (indexed by year) for ``year``, or a LookupError naming ``what`` and the years that have it."""
    if int(year) not in table.index:
        raise LookupError(f"no {what} for {year} in the data package; years with one: {_years(table.index)}")
    return table.loc[int(year)]


def brent_price(year: int) -> float:
    """Brent's average price for ``year`` (USD a barrel), or a LookupError naming the years with a price."""
    from .data import load

    return float(year_row(load("brent_prices").set_index("year"), year, "Brent price")["usd_per_bbl"])


def buyer_value(buyers: pd.DataFrame, country: str, period: str) -> float:
    """One buyer's figure for one period of ``data.load("buyers")``, or a LookupError listing what exists."""
    rows = buyers[(buyers["country"] == country) & (buyers["period"].astype(str) == str(period))]
    if rows.empty:
        have = buyers.loc[buyers["country"] == country, "period"].astype(str).tolist()
        known = (
            f"periods for {country}: {', '.join(have)}"
            if have
            else f"countries: {', '.join(sorted(buyers['country'].unique()))}"
        )
        raise LookupError(f"no buyers row for {country}, {period}; {known}")
    return float(rows["value"].iloc[0])


def exports_mt(year: int) -> float:
    """Published full-year crude exports (Mt) for ``year``, or a LookupError naming the years that have one."""
    table = analysis.production_and_exports(first_year=2000).set_index("year")["exports_mt"]
    value = table.get(int(year), float("nan"))
    if value is None or math.isnan(value):
        raise LookupError(
            f"no published full-year total of crude exports for {year}; years with one: {_years(table.dropna().index)}"
        )
    return float(value)


def exports_kbd(year: int, ratios: dict[str, float]) -> dict[str, int]:
    """``year``'s exports in thousand barrels a day, once for each named barrels-per-tonne ratio."""
    mt = exports_mt(year)
    return {name: round(units.mt_per_year_to_kbd(mt, float(r))) for name, r in ratios.items()}


def growth_leader(split: pd.DataFrame, since: int, until: int) -> str:
    """The route that grew most between two years with a split, as "name: +x.x Mt"."""
    year_split(split, since)
    year_split(split, until)
    route_id, growth = analysis.fastest_growing_route(split, since, until)
    name = split.loc[split["route_id"] == route_id, "route_name"].iloc[0]
    return f"{name}: {growth:+.1f} Mt"


def capacities_in_mt(legs: pd.DataFrame, bbl_per_tonne: float) -> pd.DataFrame:
    """Each route's largest reported capacity, in its reported unit and in Mt a year, largest first.

    Capacities are reported in Mt/yr or in barrels a day; only after converting with a stated ratio
    can they be ranked.
    """
    rows = legs.dropna(subset=["capacity"])
    out = pd.DataFrame(
        {
            "route": rows["name"],
            "capacity": rows["capacity"].astype(float),
            "unit": rows["capacity_unit"],
            "capacity_mt_per_year": [
                round(units.to_mt_per_year(float(v), u, bbl_per_tonne), 1)
                for v, u in zip(rows["capacity"], rows["capacity_unit"], strict=True)
            ],
        }
    )
    out = out.sort_values("capacity_mt_per_year", ascending=False, kind="stable")
    return out.drop_duplicates("route").reset_index(drop=True)


def largest_capacity(legs: pd.DataFrame, bbl_per_tonne: float) -> str:
    """The answer to "which route has the largest capacity, and in which units", as one sentence."""
    table = capacities_in_mt(legs, bbl_per_tonne)
    top = table.iloc[0]
    per_unit = []
    for unit, rows in table.groupby("unit", sort=False):
        if unit == "Mt/yr":
            per_unit.append(f"in Mt/yr: {len(rows)} routes")
        else:
            items = ", ".join(
                f"{r.route} ({r.capacity:,g} {unit} = {r.capacity_mt_per_year:.1f} Mt/yr at {bbl_per_tonne:g} bbl/t)"
                for r in rows.itertuples()
            )
            per_unit.append(f"in {unit}: {items}")
    return f"Largest: {top['route']}, {top['capacity_mt_per_year']:.1f} Mt/yr. Reported " + "; ".join(per_unit) + "."
