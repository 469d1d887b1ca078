"""Tables for the page: the text alternative to each map and chart, formatted for reading."""

from __future__ import annotations

import pandas as pd

from .bib import source_label

BLANK = "—"


def _styled(df: pd.DataFrame):
    """The book's one table style (see _static/oilroutes.css): no index, compact, scrollable."""
    return df.style.hide(axis="index").set_table_attributes('class="oilroutes-table"')


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
    return _styled(out)


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
    return _styled(out)


def events_table(events: pd.DataFrame):
    """The disruptions, dated and classified, with their reported effect and source."""
    out = pd.DataFrame({
        "Start": events["start_date"].dt.strftime("%d %b %Y"),
        "End": [BLANK if pd.isna(e) else pd.Timestamp(e).strftime("%d %b %Y") for e in events["end_date"]],
        "Event": events["title"],
        "Type": events["event_type"].str.replace("_", " "),
        "Asset": events["asset"],
        "Reported effect": events["reported_effect"],
        "Source": [source_label(s) for s in events["source"]],
    })
    return _styled(out)


def _cut(lo, hi, unit):
    unit = "%" if unit == "pct" else f" {unit}"
    return f"{_fmt(lo, 0)}{unit}" if lo == hi else f"{_fmt(lo, 0)}–{_fmt(hi, 0)}{unit}"


def losses_table(losses: pd.DataFrame, events: pd.DataFrame):
    """The loss estimate per event: days, lost volume and revenue as low–high ranges."""
    df = losses.merge(events[["event_id", "title"]], on="event_id")
    rng = lambda lo, hi, d: BLANK if pd.isna(lo) else (_fmt(lo, d) if abs(lo - hi) < 10 ** -d else f"{_fmt(lo, d)}–{_fmt(hi, d)}")  # noqa: E731
    out = pd.DataFrame({
        "Event": df["title"],
        "Days": [("end not reported" if a and not e else f"{d}{' (assumed)' if a else ''}")
                 for d, a, e in zip(df["days"], df["end_assumed"], df["estimated"])],
        "Reported cut": [BLANK if pd.isna(lo) else _cut(lo, hi, u) for lo, hi, u in zip(df["effect_low"], df["effect_high"], df["effect_unit"])],
        "Lost volume (Mt)": [rng(lo, hi, 2) for lo, hi in zip(df["lost_mt_low"], df["lost_mt_high"])],
        "Lost revenue (million US$)": [rng(lo, hi, 0) for lo, hi in zip(df["revenue_musd_low"], df["revenue_musd_high"])],
        "Estimated": ["yes" if e else "no: effect not quantified" for e in df["estimated"]],
    })
    return _styled(out)


VERDICT_COLORS = {"supported": "#1b7837", "partly": "#b35806", "not supported": "#b2182b", "outdated": "#762a83", "unverified": "#636363"}


def claims_table(checked: pd.DataFrame):
    """The article's claims with the evidence, a coloured verdict and the sources."""
    out = pd.DataFrame({
        "Claim (2022)": checked["claim"],
        "Evidence from the book's data": checked["evidence"],
        "Verdict": checked["verdict"],
        "Sources": [source_label(s) for s in checked["sources"]],
    })
    return _styled(out).map(
        lambda v: f"color: white; background-color: {VERDICT_COLORS[v]}; font-weight: 600" if v in VERDICT_COLORS else "",
        subset=["Verdict"])
