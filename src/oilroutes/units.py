"""The one place where units are converted.

Tonnes to barrels depends on the crude's density, so every conversion takes the
barrels-per-tonne ratio as an argument: there is no default ratio in code. The
ratios the book uses are sourced rows of ``conversion_ratios.csv``, read by
:mod:`oilroutes.assumptions`.
"""

from __future__ import annotations

import calendar

#: Calendar facts, not assumptions: an average year (leap years included) and its months.
DAYS_PER_YEAR = 365.25
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR

#: The plausible range of barrels per tonne for crude oil (heavy to very light).
RATIO_RANGE = (6.0, 9.0)


def days_in_year(year: int) -> int:
    """365 or 366."""
    return 366 if calendar.isleap(int(year)) else 365


def tonnes_to_barrels(tonnes: float, bbl_per_tonne: float) -> float:
    _check_ratio(bbl_per_tonne)
    return tonnes * bbl_per_tonne


def barrels_to_tonnes(barrels: float, bbl_per_tonne: float) -> float:
    _check_ratio(bbl_per_tonne)
    return barrels / bbl_per_tonne


def mt_per_year_to_kbd(mt_per_year: float, bbl_per_tonne: float, days: float = DAYS_PER_YEAR) -> float:
    """Million tonnes a year to thousand barrels a day."""
    _check_ratio(bbl_per_tonne)
    return mt_per_year * 1e6 * bbl_per_tonne / days / 1e3


def kbd_to_mt_per_year(kbd: float, bbl_per_tonne: float, days: float = DAYS_PER_YEAR) -> float:
    """Thousand barrels a day to million tonnes a year."""
    _check_ratio(bbl_per_tonne)
    return kbd * 1e3 * days / bbl_per_tonne / 1e6


def to_mt_per_year(value: float, unit: str, bbl_per_tonne: float) -> float:
    """A capacity in any of the data package's units, as Mt/yr."""
    if unit == "Mt/yr":
        return value
    if unit == "kb/d":
        return kbd_to_mt_per_year(value, bbl_per_tonne)
    if unit == "mb/d":
        return kbd_to_mt_per_year(value * 1e3, bbl_per_tonne)
    raise ValueError(f"unknown capacity unit {unit!r}; expected Mt/yr, kb/d or mb/d")


def implied_ratio(mt: float, mbd: float, days: float) -> float:
    """Barrels per tonne implied by a tonnage and a barrels-a-day rate reported for the same period."""
    if mt <= 0 or mbd <= 0 or days <= 0:
        raise ValueError("an implied ratio needs a positive tonnage, rate and period")
    return mbd * 1e6 * days / (mt * 1e6)


def _check_ratio(r: float) -> None:
    lo, hi = RATIO_RANGE
    if not lo <= r <= hi:
        raise ValueError(f"barrels per tonne must lie between {lo:g} and {hi:g} for crude oil, got {r}")
