"""The one place where units are converted.

Tonnes to barrels depends on the crude's density. The book uses 7.5 barrels per
tonne, the ratio Reuters applies to Kazakh crude, unless a caller says otherwise;
every function takes the ratio as an argument so its effect can be tested.
"""

from __future__ import annotations

BBL_PER_TONNE = 7.5
DAYS_PER_YEAR = 365.0


def tonnes_to_barrels(tonnes: float, bbl_per_tonne: float = BBL_PER_TONNE) -> float:
    _check_ratio(bbl_per_tonne)
    return tonnes * bbl_per_tonne


def barrels_to_tonnes(barrels: float, bbl_per_tonne: float = BBL_PER_TONNE) -> float:
    _check_ratio(bbl_per_tonne)
    return barrels / bbl_per_tonne


def mt_per_year_to_kbd(mt_per_year: float, bbl_per_tonne: float = BBL_PER_TONNE, days: float = DAYS_PER_YEAR) -> float:
    """Million tonnes a year to thousand barrels a day."""
    _check_ratio(bbl_per_tonne)
    return mt_per_year * 1e6 * bbl_per_tonne / days / 1e3


def kbd_to_mt_per_year(kbd: float, bbl_per_tonne: float = BBL_PER_TONNE, days: float = DAYS_PER_YEAR) -> float:
    """Thousand barrels a day to million tonnes a year."""
    _check_ratio(bbl_per_tonne)
    return kbd * 1e3 * days / bbl_per_tonne / 1e6


def to_mt_per_year(value: float, unit: str, bbl_per_tonne: float = BBL_PER_TONNE) -> float:
    """A capacity in any of the data package's units, as Mt/yr."""
    if unit == "Mt/yr":
        return value
    if unit == "kb/d":
        return kbd_to_mt_per_year(value, bbl_per_tonne)
    if unit == "mb/d":
        return kbd_to_mt_per_year(value * 1e3, bbl_per_tonne)
    raise ValueError(f"unknown capacity unit {unit!r}; expected Mt/yr, kb/d or mb/d")


def _check_ratio(r: float) -> None:
    if not 6.0 <= r <= 9.0:
        raise ValueError(f"barrels per tonne must lie between 6 and 9 for crude oil, got {r}")
