"""Tables for the page: the text alternative to each map and chart, formatted for reading.

Every table the reader sees goes through :class:`Table`: human headers with
units, rounding that fits the figure, no index, "yes"/"no" for flags, "—" for a
gap, every cell escaped as HTML (a cell from the data can never become markup),
and a box of its own that scrolls sideways when the table is wider than the
column. Tables that are working material for re-runners are collapsed under a
label that says so.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import pandas as pd

from . import ids, style
from .bib import source_label

ids.install()  # the same element ids in every build, so pages are byte-identical

BLANK = "—"

# cells wrap instead of running on; long notes stay readable
_CELL_STYLES = [
    {
        "selector": "td",
        "props": "min-width: 5.5em; max-width: 26em; white-space: normal; overflow-wrap: break-word; vertical-align: top;",
    },
    {"selector": "th", "props": "white-space: normal; vertical-align: bottom; text-align: left;"},
]


class Table:
    """A formatted table: ``data`` is the frame shown, ``to_html()`` the page's HTML."""

    def __init__(self, styler, working: str | None = None, extra: list[Table] | None = None):
        self.styler, self.working, self.extra = styler, working, extra or []

    @property
    def data(self) -> pd.DataFrame:
        return self.styler.data

    def to_html(self) -> str:
        # focusable, so a keyboard can scroll a table wider than the column (WCAG: scrollable-region-focusable)
        body = (
            f'<div class="oilroutes-table-box" style="overflow-x:auto;max-width:100%" tabindex="0" role="region" '
            f'aria-label="Table">{self.styler.to_html()}</div>'
        )
        body += "".join(t.to_html() for t in self.extra)
        if self.working:
            return (
                f'<details class="oilroutes-working"><summary>Working table for re-running the analysis: '
                f"{html.escape(self.working)}</summary>{body}</details>"
            )
        return body

    def _repr_html_(self) -> str:
        return self.to_html()

    def map(self, func, subset=None) -> Table:
        """Style cells by value (as pandas' Styler.map); returns the table."""
        self.styler = self.styler.map(func, subset=subset)
        return self


def _styled(df: pd.DataFrame, working: str | None = None) -> Table:
    """The book's one table style (see _static/oilroutes.css): no index, escaped cells, wrapped notes, own scroll box."""
    # the id follows the content, so two builds of a page are identical
    uid = hashlib.sha1(df.to_json(date_format="iso", default_handler=str).encode()).hexdigest()[:8]
    styler = (
        df.style.hide(axis="index")
        .set_uuid(uid)
        .set_table_attributes('class="oilroutes-table"')
        .set_table_styles(_CELL_STYLES)
        .format(escape="html", na_rep=BLANK)
        .format_index(escape="html", axis=1)
    )
    return Table(styler, working)


def _fmt(v, digits=1):
    return BLANK if v is None or pd.isna(v) else f"{v:,.{digits}f}"


def _yes_no(v) -> str:
    if v is None or pd.isna(v):
        return BLANK
    if isinstance(v, str):
        return {"true": "yes", "false": "no"}.get(v.strip().lower(), v)
    return "yes" if bool(v) else "no"


def _sources(values) -> list[str]:
    return [source_label(s) if isinstance(s, str) and s else BLANK for s in values]


def _whole(*values) -> bool:
    return all(pd.isna(v) or float(v).is_integer() for v in values)


def _range(lo, hi, digits=1) -> str:
    if pd.isna(lo) and pd.isna(hi):
        return BLANK
    if pd.isna(hi) or abs(lo - hi) < 10**-digits:
        return _fmt(lo, digits)
    return f"{_fmt(lo, digits)}–{_fmt(hi, digits)}"


def legs_table(legs: pd.DataFrame) -> Table:
    """One row per leg: route, mode, capacity as reported, length, status and source."""
    out = pd.DataFrame(
        {
            "Route": legs["route_name"],
            "Leg": legs["name"],
            "Mode": legs["mode"],
            "Capacity": [
                f"{_fmt(c)} {u}" if not pd.isna(c) else BLANK for c, u in zip(legs["capacity"], legs["capacity_unit"])
            ],
            "Length (km, reported)": [_fmt(v, 0) for v in legs["length_km"]],
            "Status": legs["status"],
            "Source": _sources(legs["source"]),
        }
    )
    return _styled(out)


def split_table(split: pd.DataFrame) -> Table:
    """Exports by route and year, with the share of the year's total and the source."""
    out = pd.DataFrame(
        {
            "Year": split["year_label"],
            "Route": split["route_name"],
            "Exports (Mt)": [_fmt(v, 2) for v in split["volume_mt"]],
            "Share of the year's exports (%)": [_fmt(v, 1) for v in split["share_pct"]],
            "Crosses Russia": split["crosses_russia"],
            "Status": split["status"] if "status" in split.columns else "reported",
            "Source": _sources(split["source"]),
        }
    )
    return _styled(out)


def events_table(events: pd.DataFrame) -> Table:
    """The disruptions, dated and classified, with their reported effect and source."""
    out = pd.DataFrame(
        {
            "Start": events["start_date"].dt.strftime("%d %b %Y"),
            "End": [BLANK if pd.isna(e) else pd.Timestamp(e).strftime("%d %b %Y") for e in events["end_date"]],
            "Event": events["title"],
            "Type": events["event_type"].str.replace("_", " "),
            "Asset": events["asset"],
            "Reported effect": events["reported_effect"],
            "Source": _sources(events["source"]),
        }
    )
    return _styled(out)


def _cut(lo, hi, unit):
    unit = "%" if unit == "pct" else f" {unit}"
    return f"{_fmt(lo, 0)}{unit}" if lo == hi else f"{_fmt(lo, 0)}–{_fmt(hi, 0)}{unit}"


def losses_table(losses: pd.DataFrame, events: pd.DataFrame) -> Table:
    """The loss estimate per event: phases and days costed, lost volume and revenue as low–high ranges."""
    df = losses.merge(events[["event_id", "title"]], on="event_id")
    out = pd.DataFrame(
        {
            "Event": df["title"],
            "Days (reported)": [
                "end not reported" if a else f"{d:.0f}" for d, a in zip(df["days"], df["end_assumed"], strict=True)
            ],
            "Phases costed (days)": [
                f"{p} ({d:.0f})" if e else BLANK
                for p, d, e in zip(df["phases"], df["estimated_days"], df["estimated"], strict=True)
            ],
            "Lost volume (Mt)": [
                _range(lo, hi, 2) for lo, hi in zip(df["lost_mt_low"], df["lost_mt_high"], strict=True)
            ],
            "Lost revenue (million US$)": [
                _range(lo, hi, 0) for lo, hi in zip(df["revenue_musd_low"], df["revenue_musd_high"], strict=True)
            ],
            "Estimated": ["yes" if e else "no: effect not quantified" for e in df["estimated"]],
        }
    )
    return _styled(out)


def model_vs_reported_table(comparison: pd.DataFrame) -> Table:
    """Each official loss figure beside the book's estimate for the same event and period, with the ratio."""
    unit = lambda u: "Mt" if u == "Mt" else "million US$"  # noqa: E731
    out = pd.DataFrame(
        {
            "Reported by": comparison["who"],
            "What": [f"{m} ({k})" for m, k in zip(comparison["measure"], comparison["kind"], strict=True)],
            "Period": [
                f"{a:%d %b %Y} – {b:%d %b %Y}"
                for a, b in zip(comparison["period_start"], comparison["period_end"], strict=True)
            ],
            "Reported": [
                f"{_fmt(lo, 2 if u == 'Mt' else 0)}{'' if lo == hi else '–' + _fmt(hi, 2 if u == 'Mt' else 0)} {unit(u)}"
                for lo, hi, u in zip(
                    comparison["reported_low"], comparison["reported_high"], comparison["unit"], strict=True
                )
            ],
            "Book's estimate": [
                f"{_fmt(lo, 2 if u == 'Mt' else 0)}–{_fmt(hi, 2 if u == 'Mt' else 0)} {unit(u)}"
                for lo, hi, u in zip(comparison["model_low"], comparison["model_high"], comparison["unit"], strict=True)
            ],
            "Estimate ÷ reported (midpoints)": [_fmt(r, 2) for r in comparison["ratio"]],
            "Differ by more than a third": ["yes" if g else "no" for g in comparison["gap_large"]],
            "Source": _sources(comparison["source"]),
        }
    )
    return _styled(out)


VERDICT_COLORS = style.VERDICT_COLORS


def claims_table(checked: pd.DataFrame) -> Table:
    """The article's claims with the evidence, a coloured verdict and the sources."""
    out = pd.DataFrame(
        {
            "Claim (2022)": checked["claim"],
            "Evidence from the book's data": checked["evidence"],
            "Verdict": checked["verdict"],
            "Sources": _sources(checked["sources"]),
        }
    )
    return _styled(out).map(
        lambda v: (
            f"color: {style.WHITE}; background-color: {VERDICT_COLORS[v]}; font-weight: 600"
            if v in VERDICT_COLORS
            else ""
        ),
        subset=["Verdict"],
    )


def chapter_title(file_id: str) -> str:
    """'05_conclusions' -> 'Chapter 5: Conclusions', from the chapter's own heading when the chapters are at hand."""
    number = int(file_id.split("_", 1)[0]) if file_id[:2].isdigit() else None
    heading = None
    notebook = Path(__file__).resolve().parents[2] / "chapters" / f"{file_id}.ipynb"
    if notebook.is_file():
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            first = "".join(cell["source"]).lstrip().split("\n", 1)[0]
            if cell["cell_type"] == "markdown" and first.startswith("# "):
                heading = first[2:].strip()
                break
    if number == 0:
        return "Introduction" if heading is None else f"Introduction: {heading}"
    label = f"Chapter {number}" if number is not None else file_id.replace("_", " ")
    return f"{label}: {heading}" if heading else label


def claims_list(claims: pd.DataFrame) -> Table:
    """The article's claims and the chapter that checks each one."""
    out = pd.DataFrame({"Claim (2022)": claims["claim"], "Checked in": [chapter_title(c) for c in claims["chapter"]]})
    return _styled(out)


def oil_economy_table(df: pd.DataFrame) -> Table:
    """How much Kazakhstan's economy rests on oil, each figure with its definition and source."""
    out = pd.DataFrame(
        {
            "Year": df["year"].astype("string").fillna(BLANK),
            "What is measured": df["definition"],
            "Value": [
                f"{_fmt(v, 0 if float(v).is_integer() else 1)}{'%' if u == '%' else ' ' + str(u)}"
                if not pd.isna(v)
                else BLANK
                for v, u in zip(df["value"], df["unit"])
            ],
            "Approximate": [_yes_no(v) for v in df["approximate"]],
            "Source": _sources(df["source"]),
        }
    )
    return _styled(out)


def reported_losses_table(reported: pd.DataFrame, events: pd.DataFrame) -> Table:
    """What officials and companies said the disruptions cost, by event, in their own units."""
    titles = events.set_index("event_id")["title"]
    out = pd.DataFrame(
        {
            "Event": [titles.get(e, e) for e in reported["event_id"]],
            "Who said it": reported["who"],
            "When": reported["reported_on"].astype(str),
            "Amount": [
                f"{_range(lo, hi, 0 if _whole(lo, hi) else 1)} {u}"
                for lo, hi, u in zip(reported["value_low"], reported["value_high"], reported["unit"])
            ],
            "What was reported": reported["what"],
            "Source": _sources(reported["source"]),
        }
    )
    return _styled(out)


def production_table(df: pd.DataFrame) -> Table:
    """Production and exports per year with the export share: the data behind the production chart."""
    out = pd.DataFrame(
        {
            "Year": df["year"].astype(str),
            "Production (Mt)": [_fmt(v, 1) for v in df["production_mt"]],
            "Exports (Mt)": [
                _fmt(v, 1) if not pd.isna(v) else (f"{_fmt(e, 1)} ({_range(lo, hi, 1)})" if not pd.isna(e) else BLANK)
                for v, e, lo, hi in zip(
                    df["exports_mt"],
                    df.get("exports_estimate_mt", df["exports_mt"]),
                    df.get("exports_low_mt", df["exports_mt"]),
                    df.get("exports_high_mt", df["exports_mt"]),
                )
            ],
            "Exports status": [
                s if isinstance(s, str) else BLANK
                for s in df.get("exports_status", pd.Series(index=df.index, dtype=object))
            ],
            "Exports as share of production (%)": [_fmt(v, 0) for v in df["export_share_pct"]],
            "Production source": _sources(df["production_source"]),
            "Exports source": _sources(
                [
                    s if isinstance(s, str) else e
                    for s, e in zip(df["exports_source"], df.get("exports_estimate_source", df["exports_source"]))
                ]
            ),
        }
    )
    return _styled(out, working="production and exports by year")


def leg_lengths_table(df: pd.DataFrame) -> Table:
    """Reported length of each leg against its schematic straight-line length."""
    out = pd.DataFrame(
        {
            "Leg": df["name"],
            "Mode": df["mode"],
            "Reported length (km)": [_fmt(v, 0) for v in df["length_km"]],
            "Schematic length (km)": [_fmt(v, 0) for v in df["schematic_km"]],
            "Reported ÷ schematic": [_fmt(v, 2) for v in df["reported_over_schematic"]],
        }
    )
    return _styled(out, working="leg lengths, reported and schematic")


def shareholders_table(df: pd.DataFrame, name: str = "pipeline") -> Table:
    """Shareholders and their stakes, largest first."""
    df = df.sort_values("stake_pct", ascending=False)
    out = pd.DataFrame(
        {
            "Shareholder": df["shareholder"],
            "Stake (%)": [_fmt(v, 2) for v in df["stake_pct"]],
            "As of": [BLANK if pd.isna(d) else pd.Timestamp(d).strftime("%d %b %Y") for d in df["as_of"]],
            "Source": _sources(df["source"]),
        }
    )
    return _styled(out, working=f"{name} shareholders")


def chain_scenarios_table(df: pd.DataFrame) -> Table:
    """How much of CPC's Kazakh flow the Trans-Caspian chain could take, scenario by scenario."""
    room = df["btc_room_mt"].dropna().unique() if "btc_room_mt" in df.columns else []
    out = pd.DataFrame(
        {
            "Scenario": df["scenario"],
            "Ceiling (Mt a year)": [_fmt(v, 1) for v in df["ceiling_mt"]],
            "Share of CPC's Kazakh flow (%)": [_fmt(v, 1) for v in df["share_of_cpc_pct"]],
        }
    )
    table = _styled(out)
    if len(room) == 1:
        # the same for every row: said once under the table rather than repeated in a column
        table.styler = table.styler.set_caption(f"Spare room in BTC in every scenario: {room[0]:,.1f} Mt a year.")
    elif len(room) > 1:
        out["Spare room in BTC (Mt a year)"] = [_fmt(v, 1) for v in df["btc_room_mt"]]
        table = _styled(out)
    return table


def tariffs_table(df: pd.DataFrame) -> Table:
    """Published tariffs and fees on each route, with what they apply to."""
    out = pd.DataFrame(
        {
            "Route": df["route"],
            "Tariff": [f"{_range(lo, hi, 2)} {u}" for lo, hi, u in zip(df["value_low"], df["value_high"], df["unit"])],
            "Applies to": df["applies_to"],
            "As of": df["as_of_year"].astype("string").fillna(BLANK),
            "Note": df["note"].fillna(BLANK),
            "Source": _sources(df["source"]),
        }
    )
    return _styled(out)


def legal_context_table(df: pd.DataFrame) -> Table:
    """Sanctions, carve-outs and the KEBCO rebranding, by date: who acted, with what, and what it meant for Kazakh crude."""
    df = df.sort_values("date")
    out = pd.DataFrame(
        {
            "Date": [f"{d.day} {d:%B %Y}" for d in df["date"]],
            "Who": df["actor"],
            "Instrument": df["instrument"],
            "What happened": df["what_happened"],
            "For Kazakh crude": df["effect_on_kazakhstan"],
            "Source": _sources(df["source"]),
        }
    )
    return _styled(out)


def outages_table(outages: pd.DataFrame) -> Table:
    """The model's rerun of past outages: lost, rerouted and not rerouted; the split by route collapsed below."""
    from .charts import SCENARIO_ROUTE_LABELS

    def col(name, digits=2):
        return [_fmt(v, digits) for v in outages[name]] if name in outages.columns else [BLANK] * len(outages)

    out = pd.DataFrame(
        {
            "Event": outages["title"],
            "Case": outages["case"].astype(str),
            "Depth (% of CPC's Kazakh flow)": col("depth_pct", 0),
            "Months": col("months", 1),
            "Lost (Mt)": col("lost_mt"),
            "Rerouted (Mt)": col("rerouted_mt"),
            "Not rerouted (Mt)": col("shortfall_mt"),
            "Revenue at risk (million US$)": col("revenue_at_risk_musd", 0),
        }
    )
    via = [c for c in outages.columns if c.startswith("via_")]
    split = pd.DataFrame(
        {"Event": outages["title"], "Case": outages["case"].astype(str)}
        | {f"{SCENARIO_ROUTE_LABELS.get(c[4:], c[4:].replace('_', ' '))} (Mt)": col(c) for c in via}
    )
    table = _styled(out)
    if via:
        table.extra = [_styled(split, working="rerouted volume by route, Mt")]
    return table
