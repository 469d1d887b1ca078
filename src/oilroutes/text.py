"""Small helpers that turn computed values into words, so no evidence sentence types a fact."""

from __future__ import annotations

import pandas as pd


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st..."""
    n = int(n)
    if n < 0:
        raise ValueError(f"no ordinal for a negative number: {n}")
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count(n: float, noun: str, plural: str | None = None) -> str:
    """'1 day', '2 days', '0 days'."""
    n = int(round(n))
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def date(d) -> str:
    """'5 July 2022'."""
    d = pd.Timestamp(d)
    return f"{d.day} {d:%B %Y}"


def num(v: float, digits: int = 0) -> str:
    return f"{v:,.{digits}f}"


def span(lo: float, hi: float, digits: int = 0, unit: str = "") -> str:
    """'1.3' if the ends round alike, else '1.3–1.8', with an optional unit."""
    a, b = num(lo, digits), num(hi, digits)
    return (a if a == b else f"{a}–{b}") + unit


def alternatives(values: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    values = list(dict.fromkeys(values))
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def direction(before: float, after: float, up: str = "rose", down: str = "fell", same: str = "held steady") -> str:
    return up if after > before else down if after < before else same
