"""Altair charts in the book's one style.

Colours come from :mod:`oilroutes.style`; the theme and the renderer that fits
each chart to the page are in :mod:`oilroutes.render` (call ``render.enable()``).
Widths here are design widths: in the page every chart is re-fitted to the text
column, so long labels are wrapped over lines and their full text is in the tooltip.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from . import style
from .bib import source_label
from .render import MULTILINE, WIDTH

# A nominal axis whose values hold line breaks draws them as several lines (render.MULTILINE).
# Characters per line of the disruption timeline's row labels (two lines within the axis's 200 px).
LABEL_CHARS = 28


def _wrap(text: str, width: int = 28, lines: int = 3) -> str:
    """A label broken over at most ``lines`` lines of about ``width`` characters (ending in … if cut)."""
    out = textwrap.wrap(str(text), width=width)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return "\n".join(out)


def _with_sources(df: pd.DataFrame, column: str = "source") -> pd.DataFrame:
    out = df.copy()
    out["source_label"] = [source_label(s) if isinstance(s, str) else "" for s in out[column]]
    return out


def _with_status(df: pd.DataFrame) -> pd.DataFrame:
    """A ``status_label`` column (Reported, Implied, Estimated); rows without a status are reported."""
    out = df.copy()
    status = out["status"].fillna("reported") if "status" in out.columns else pd.Series("reported", index=out.index)
    out["status_label"] = status.map(style.STATUS_LABELS)
    return out


def _status_encoding(df: pd.DataFrame) -> dict:
    """Fill opacity and outline keyed on how each value is known, with a legend listing the kinds present."""
    keys = [k for k in style.STATUS_LABELS if style.STATUS_LABELS[k] in set(df["status_label"])]
    domain = [style.STATUS_LABELS[k] for k in keys]
    return dict(
        fillOpacity=alt.FillOpacity(
            "status_label:N", legend=None, scale=alt.Scale(domain=domain, range=[style.STATUS_OPACITY[k] for k in keys])
        ),
        strokeDash=alt.StrokeDash(
            "status_label:N", legend=None, scale=alt.Scale(domain=domain, range=[style.STATUS_DASH[k] for k in keys])
        ),
        stroke=alt.StrokeValue(style.INK),
        strokeWidth=alt.StrokeWidthValue(
            **alt.condition("datum.status_label != 'Reported'", alt.value(1.2), alt.value(0))
        ),
    )


def _status_note(df: pd.DataFrame) -> list[str]:
    """A subtitle line naming the kinds of derived value a chart draws lighter and outlined (none when all are reported)."""
    kinds = [
        style.STATUS_LABELS[k].lower()
        for k in ("implied", "estimate")
        if style.STATUS_LABELS[k] in set(df["status_label"])
    ]
    return (
        [f"Lighter, outlined bars: {' and '.join(kinds)} values, not published figures (the tooltip says which)."]
        if kinds
        else []
    )


def exports_by_route_chart(split: pd.DataFrame, title: str = "Kazakh crude exports by route") -> alt.Chart:
    """Stacked bars of exports per year and route; hover a segment for its volume, share and source."""
    df = _with_status(_with_sources(split))
    df["route_label"] = df["route_name"]
    order = [r for r in style.ROUTE_COLORS if r in set(df["route_id"])]
    names = df.drop_duplicates("route_id").set_index("route_id")["route_name"]
    df["stack_order"] = df["route_id"].map({r: i for i, r in enumerate(order)})
    select = alt.selection_point(fields=["route_label"], bind="legend")
    # Every year from the first to the last sits on the axis, so years no source
    # itemises show as visible gaps rather than disappearing.
    labels = dict(zip(df["year"], df["year_label"]))
    axis_years = [labels.get(y, str(y)) for y in range(int(df["year"].min()), int(df["year"].max()) + 1)]
    description = (
        "Stacked bar chart of Kazakhstan's crude exports by route, in million tonnes, for "
        + ", ".join(dict.fromkeys(df["year_label"]))
        + "."
    )
    return (
        alt.Chart(
            df,
            title=alt.Title(
                title,
                subtitle=[
                    "Million tonnes. Partial years are labelled; empty years have no published split by route.",
                    "Click the legend to highlight a route.",
                ]
                + _status_note(df),
            ),
            description=description,
        )
        .mark_bar()
        .encode(
            x=alt.X("year_label:N", title=None, scale=alt.Scale(domain=axis_years), axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("sum(volume_mt):Q", title="Exports (Mt)"),
            color=alt.Color(
                "route_label:N",
                title="Route",
                scale=alt.Scale(domain=[names[r] for r in order], range=[style.ROUTE_COLORS[r] for r in order]),
            ),
            order=alt.Order("stack_order:Q"),
            opacity=alt.OpacityValue(**alt.condition(select, alt.value(1), alt.value(0.25))),
            **_status_encoding(df),
            tooltip=[
                alt.Tooltip("year_label:N", title="Year"),
                alt.Tooltip("route_label:N", title="Route"),
                alt.Tooltip("volume_mt:Q", title="Volume (Mt)", format=".2f"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("share_pct:Q", title="Share of exports (%)", format=".1f"),
                alt.Tooltip("crosses_russia:N", title="Crosses Russia"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .add_params(select)
        .properties(width=WIDTH, height=340)
    )


MEASURE_COLORS, GROUP_COLORS = style.MEASURE_COLORS, style.GROUP_COLORS


def production_exports_chart(df: pd.DataFrame) -> alt.Chart:
    """Production and exports side by side per year; a year without a published figure is a gap."""
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": df["year"].astype(str),
                    "measure": "Production",
                    "mt": df["production_mt"],
                    "source": df["production_source"],
                }
            ),
            pd.DataFrame(
                {
                    "year": df["year"].astype(str),
                    "measure": "Exports",
                    "mt": df["exports_mt"],
                    "source": df["exports_source"],
                }
            ),
        ]
    )
    long = _with_sources(long.dropna(subset=["mt"]))
    years = [str(y) for y in df["year"]]
    return (
        alt.Chart(
            long,
            title=alt.Title(
                "Oil and condensate: production and exports",
                subtitle="Million tonnes. A missing bar means no published full-year figure was found.",
            ),
            description="Grouped bar chart of Kazakhstan's oil production and exports by year, million tonnes, "
            + years[0]
            + "–"
            + years[-1]
            + ".",
        )
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["Production", "Exports"]),
            y=alt.Y("mt:Q", title="Million tonnes"),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=["Production", "Exports"],
                scale=alt.Scale(domain=list(MEASURE_COLORS), range=list(MEASURE_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("year:N", title="Year"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("mt:Q", title="Mt", format=".2f"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .properties(width=WIDTH, height=300)
    )


def russia_share_chart(share: pd.DataFrame) -> alt.Chart:
    """The share of exports crossing Russia per year, as a range from certain to possible."""
    df = share.copy()
    base = alt.Chart(
        df,
        title=alt.Title(
            "Share of exports crossing Russian territory",
            subtitle=[
                "Per cent. Filled dot: routes that certainly cross Russia.",
                "Hollow dot: adding routes with unknown destinations and volume not itemised by route.",
            ],
        ),
        description="Range chart of the share of Kazakh crude exports that crosses Russia, per year, low and high estimate in per cent.",
    )
    x = alt.X("year_label:N", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    tips = [
        alt.Tooltip("year_label:N", title="Year"),
        alt.Tooltip("share_low_pct:Q", title="At least (%)", format=".1f"),
        alt.Tooltip("share_high_pct:Q", title="At most (%)", format=".1f"),
        alt.Tooltip("total_mt:Q", title="Exports (Mt)", format=".1f"),
    ]
    rule = base.mark_rule(strokeWidth=10, opacity=0.35, color=style.ROUTE_COLORS["cpc"]).encode(
        x=x,
        y=alt.Y("share_low_pct:Q", title="Per cent of exports", scale=alt.Scale(domain=[0, 100])),
        y2=alt.Y2("share_high_pct:Q"),
        tooltip=tips,
    )
    low = base.mark_point(filled=True, size=70, color=style.ROUTE_COLORS["cpc"]).encode(
        x=x, y=alt.Y("share_low_pct:Q"), tooltip=tips
    )
    high = base.mark_point(filled=False, size=70, color=style.ROUTE_COLORS["cpc"]).encode(
        x=x, y=alt.Y("share_high_pct:Q"), tooltip=tips
    )
    return (rule + low + high).properties(
        width=WIDTH,
        height=240,
        description="Range chart of the share of Kazakh crude exports that crosses Russia, per year: low and high estimate in per cent.",
    )


def ownership_chart(shareholders: pd.DataFrame) -> alt.Chart:
    """Each CPC shareholder's stake, coloured by the group behind it."""
    df = _with_sources(shareholders)
    df["name_wrapped"] = [_wrap(n, 26, 2) for n in df["shareholder"]]
    order = list(df.sort_values("stake_pct", ascending=False)["name_wrapped"])
    groups = [g for g in GROUP_COLORS if g in set(df["group"])]
    return (
        alt.Chart(
            df,
            title=alt.Title("Who owns the Caspian Pipeline Consortium", subtitle="Per cent of shares, by shareholder"),
            description="Horizontal bar chart of the stakes of the eleven CPC shareholders, coloured by group.",
        )
        .mark_bar()
        .encode(
            y=alt.Y("name_wrapped:N", title=None, sort=order, axis=alt.Axis(labelExpr=MULTILINE, labelLimit=200)),
            x=alt.X("stake_pct:Q", title="Stake (%)"),
            color=alt.Color(
                "group:N", title="Group", scale=alt.Scale(domain=groups, range=[GROUP_COLORS[g] for g in groups])
            ),
            tooltip=[
                alt.Tooltip("shareholder:N", title="Shareholder"),
                alt.Tooltip("stake_pct:Q", title="Stake (%)", format=".2f"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .properties(width=WIDTH - 200, height=340)
    )


# Fig 1.4 shows two definitions; they are told apart by colour and never joined by a line.
EU_DEFINITIONS = {
    "share_of_eu_crude_imports": "Share of EU crude oil imports",
    "share_of_eu_oil_imports": "Share of EU oil imports (Eurostat)",
}


def eu_share_chart(eu: pd.DataFrame) -> alt.Chart:
    """Kazakhstan's share of EU imports by period: crude (2021) and oil (Eurostat, 2023 on) kept apart."""
    df = eu[eu["indicator"].isin(list(EU_DEFINITIONS))].copy()
    df = _with_sources(df)
    df["kind"] = ["Quarter" if m == 3 else "Year" for m in df["months"]]
    df["definition"] = df["indicator"].map(EU_DEFINITIONS)
    # a year is drawn at its middle, a quarter at its middle, so neither sits on the axis edge
    df["period_mid"] = [
        (s + pd.DateOffset(months=int(m)) - (s + pd.DateOffset(months=int(m)) - s) / 2).strftime("%Y-%m-%d")
        for s, m in zip(df["period_start"], df["months"])
    ]
    first, last = int(df["period_start"].dt.year.min()), int(df["period_start"].dt.year.max())
    definitions = [d for d in EU_DEFINITIONS.values() if d in set(df["definition"])]
    return (
        alt.Chart(
            df,
            title=alt.Title(
                "Kazakhstan's share of EU oil imports",
                subtitle=[
                    "Per cent. Circles: a whole year; squares: a quarter.",
                    "Two definitions that are not one series: crude oil only (European Commission, 2021) "
                    "and all oil (Eurostat, from 2023).",
                ],
            ),
            description="Dot chart of Kazakhstan's share of EU imports by period: 8% of crude imports in 2021 "
            "(European Commission), then Eurostat's share of oil imports, 8.2% in the third quarter of 2023 "
            "to 12.7% in the first quarter of 2025.",
        )
        .mark_point(filled=True, size=110, opacity=1)
        .encode(
            x=alt.X(
                "period_mid:T",
                title=None,
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
                scale=alt.Scale(
                    domain=[alt.DateTime(year=first, month=1, date=1), alt.DateTime(year=last, month=12, date=31)]
                ),
            ),
            y=alt.Y("value:Q", title="Share of EU imports (%)", scale=alt.Scale(domain=[0, 15])),
            shape=alt.Shape(
                "kind:N", title="Period", scale=alt.Scale(domain=["Year", "Quarter"], range=["circle", "square"])
            ),
            color=alt.Color(
                "definition:N",
                title="Definition",
                scale=alt.Scale(
                    domain=definitions,
                    range=[style.DEFINITION_COLORS[k] for k, v in EU_DEFINITIONS.items() if v in definitions],
                ),
            ),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("definition:N", title="Definition"),
                alt.Tooltip("value:Q", title="Share (%)", format=".1f"),
                alt.Tooltip("note:N", title="Note"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )


EVENT_COLORS, EVENT_LABELS = style.EVENT_COLORS, style.EVENT_LABELS
POLITICAL = "Political event"


def _event_type_scale(political: bool = False):
    domain, colors = list(EVENT_LABELS.values()), list(EVENT_COLORS.values())
    if political:
        domain, colors = domain + [POLITICAL], colors + [style.POLITICAL_COLOR]
    return alt.Scale(domain=domain, range=colors)


def _legal_band(legal: pd.DataFrame, first: int, last: int) -> alt.Chart:
    """The sanctions and carve-outs as a context band: one labelled row per measure, a square on its date.

    Only the measures inside the timeline's years are kept, so the band's data are exactly the marks drawn.
    """
    lg = _with_sources(legal)
    lg["date"] = pd.to_datetime(lg["date"])
    lg = lg[(lg["date"].dt.year >= first) & (lg["date"].dt.year <= last)].sort_values("date", kind="stable")
    # three short lines, so a label is whole even where a phone leaves the labels 40% of the width
    lg["label"] = [_wrap(f"{d:%b %Y}: {t}", 20, 3) for d, t in zip(lg["date"], lg["title"])]
    lg["date_text"] = [
        f"{d.day} {d:%B %Y}" if p == "day" else f"{d:%B %Y}" for d, p in zip(lg["date"], lg["date_precision"])
    ]
    lg["date"] = lg["date"].dt.strftime("%Y-%m-%d")
    return (
        alt.Chart(lg)
        .mark_point(shape="square", size=90, filled=True, opacity=1, color=style.LEGAL_COLOR)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})),
            # a dotted guide across each row, so a label is read across to its square at any width
            y=alt.Y(
                "label:N",
                sort=list(lg["label"]),
                title=None,
                axis=alt.Axis(labelExpr=MULTILINE, labelLimit=200, labelFontSize=11, grid=True, gridDash=[2, 3]),
            ),
            tooltip=[
                alt.Tooltip("title:N", title="Measure"),
                alt.Tooltip("date_text:N", title="Date"),
                alt.Tooltip("actor:N", title="Who"),
                alt.Tooltip("instrument:N", title="Instrument"),
                alt.Tooltip("what_happened:N", title="What happened"),
                alt.Tooltip("effect_on_kazakhstan:N", title="For Kazakh crude"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .properties(
            width=WIDTH - 220,
            height=44 * len(lg),
            title=alt.Title(
                "Sanctions and carve-outs for Kazakh crude",
                subtitle="Squares mark the day each measure was issued; hover or tap for what it did and its source.",
            ),
        )
    )


def disruption_timeline_chart(
    losses: pd.DataFrame,
    events: pd.DataFrame,
    throughput: pd.DataFrame,
    context: pd.DataFrame | None = None,
    legal: pd.DataFrame | None = None,
) -> alt.VConcatChart:
    """CPC disruptions as bars from start to end, coloured by type, above CPC's yearly throughput.

    Events with no reported end are drawn to their assumed end, lighter and outlined.
    Political events from ``context`` are rows of their own (a diamond on their date,
    with a faint line down the timeline), so each is labelled on the chart.
    Sanctions and carve-outs from ``legal`` (``legal_context.csv``) are a band of their own
    between the disruptions and the throughput, on the same time axis.
    Labels are wrapped; the full text is in each tooltip.
    """
    ev = events[["event_id", "title", "asset", "reported_effect", "source"]].merge(
        losses[["event_id", "event_type", "start_date", "end_used", "days", "end_assumed"]], on="event_id"
    )
    ev = _with_sources(ev)
    ev["type_label"] = ev["event_type"].map(EVENT_LABELS)
    ev["end_note"] = ["no end reported: drawn for the assumed duration" if a else "reported" for a in ev["end_assumed"]]
    # a one-day event still needs a visible bar
    ev["end_draw"] = [max(e, s + pd.Timedelta(days=12)) for s, e in zip(ev["start_date"], ev["end_used"])]
    ev["label"] = [_wrap(f"{d:%b %Y}: {t}", LABEL_CHARS, 2) for d, t in zip(ev["start_date"], ev["title"])]
    rows = ev[["start_date", "label"]].copy()
    ctx = None
    if context is not None and len(context):
        ctx = _with_sources(context)
        ctx["date"] = pd.to_datetime(ctx["date"])
        ctx["label"] = [_wrap(f"{d:%b %Y}, political: {t}", LABEL_CHARS, 2) for d, t in zip(ctx["date"], ctx["title"])]
        ctx["type_label"] = POLITICAL
        rows = pd.concat([rows, ctx[["date", "label"]].rename(columns={"date": "start_date"})])
        ctx["date"] = ctx["date"].dt.strftime("%Y-%m-%d")
    order = list(rows.sort_values("start_date", kind="stable")["label"])
    for c in ("start_date", "end_used", "end_draw"):
        ev[c] = ev[c].dt.strftime("%Y-%m-%d")
    first, last = int(ev["start_date"].str[:4].min()), int(ev["end_draw"].str[:4].max())
    domain = [alt.DateTime(year=first, month=1, date=1), alt.DateTime(year=last, month=12, date=31)]
    x = alt.X(
        "start_date:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
        scale=alt.Scale(domain=domain),
    )
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelExpr=MULTILINE, labelLimit=200, labelFontSize=11))
    color = alt.Color("type_label:N", title="Type", scale=_event_type_scale(ctx is not None))
    bars = (
        alt.Chart(ev)
        .mark_bar(cornerRadius=2, clip=True, height=12)
        .encode(
            x=x,
            x2=alt.X2("end_draw:T"),
            y=y,
            color=color,
            opacity=alt.OpacityValue(**alt.condition("datum.end_assumed", alt.value(0.5), alt.value(1))),
            stroke=alt.StrokeValue(
                **alt.condition("datum.end_assumed", alt.value(style.INK), alt.value("transparent"))
            ),
            strokeDash=alt.StrokeDashValue(**alt.condition("datum.end_assumed", alt.value([3, 2]), alt.value([1, 0]))),
            tooltip=[
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("type_label:N", title="Type"),
                alt.Tooltip("start_date:N", title="Start"),
                alt.Tooltip("end_used:N", title="End"),
                alt.Tooltip("end_note:N", title="End date"),
                alt.Tooltip("asset:N", title="Asset"),
                alt.Tooltip("reported_effect:N", title="Reported effect"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
    )
    layers = [bars]
    if ctx is not None:
        tips = [
            alt.Tooltip("date:N", title="Date"),
            alt.Tooltip("what_happened:N", title="Political event"),
            alt.Tooltip("source_label:N", title="Source"),
        ]
        layers.insert(
            0,
            alt.Chart(ctx)
            .mark_rule(color=style.POLITICAL_COLOR, strokeDash=[3, 3], opacity=0.4)
            .encode(x=alt.X("date:T"), tooltip=tips),
        )
        layers.append(
            alt.Chart(ctx)
            .mark_point(shape="diamond", size=110, filled=True, opacity=1)
            .encode(x=alt.X("date:T"), y=y, color=color, tooltip=tips)
        )
    timeline = alt.layer(*layers).properties(
        width=WIDTH - 220,
        height=30 * len(order),
        title=alt.Title(
            "Disruptions to the CPC system",
            subtitle=[
                "Bars run from start to reported end; light outlined bars have no reported end "
                "and are drawn for the assumed duration.",
                "Diamonds: political events of 2022 (hover for details).",
            ],
        ),
    )
    tp = throughput[throughput["preferred"] & (throughput["year"] >= first) & (throughput["year"] <= last)].copy()
    tp = _with_sources(tp)
    tp["measure_label"] = tp["measure"].map({"total": "All shippers", "kazakh": "Kazakh shippers"})
    tp["x_offset"] = tp["measure"].map({"total": 0, "kazakh": 1})
    tp["year_start"] = [f"{y}-{'01-20' if o == 0 else '07-01'}" for y, o in zip(tp["year"], tp["x_offset"])]
    tp["year_end"] = [f"{y}-{'06-25' if o == 0 else '12-10'}" for y, o in zip(tp["year"], tp["x_offset"])]
    volume = (
        alt.Chart(tp)
        .mark_rect(opacity=0.9, clip=True)
        .encode(
            x=alt.X("year_start:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})),
            x2=alt.X2("year_end:T"),
            y=alt.Y("volume_mt:Q", title="Mt loaded", scale=alt.Scale(domain=[0, 80])),
            y2=alt.Y2Datum(0),
            color=alt.Color(
                "measure_label:N",
                title="CPC throughput",
                scale=alt.Scale(
                    domain=["All shippers", "Kazakh shippers"], range=[style.PALE, style.ROUTE_COLORS["cpc"]]
                ),
            ),
            tooltip=[
                alt.Tooltip("year:Q", title="Year"),
                alt.Tooltip("measure_label:N", title="Measure"),
                alt.Tooltip("volume_mt:Q", title="Mt", format=".2f"),
                alt.Tooltip("estimate:N", title="Estimate"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .properties(
            width=WIDTH - 220,
            height=160,
            title=alt.Title(
                "CPC throughput by year", subtitle="Million tonnes; missing years have no published figure"
            ),
        )
    )
    panels = [timeline, volume]
    band = ""
    if legal is not None and len(legal):
        panels.insert(1, _legal_band(legal, first, last))
        band = ", a band of the sanctions and carve-outs that bear on Kazakh crude,"
    # one time axis for every panel: the band and the throughput share the timeline's domain
    return (
        alt.vconcat(*panels, spacing=18)
        .resolve_scale(color="independent", x="shared")
        .properties(
            description="Timeline of CPC disruptions by type and duration, 2021 to 2026, with the political events of 2022"
            f"{band} above a bar chart of CPC throughput by year."
        )
    )


def throughput_capacity_chart(throughput: pd.DataFrame, capacity: pd.DataFrame) -> alt.LayerChart:
    """CPC throughput per year against the capacity milestones of the system, each milestone labelled."""
    tp = _with_status(_with_sources(throughput[throughput["preferred"]]))
    tp["measure_label"] = tp["measure"].map(
        {"total": "Throughput, all shippers", "kazakh": "Throughput, Kazakh shippers"}
    )
    years = list(range(int(min(tp["year"].min(), 2015)), int(tp["year"].max()) + 1))
    cap = _with_sources(capacity[capacity["year"] >= years[0]])
    cap["scope_label"] = (
        cap["scope"].map({"total": "whole system", "kazakh_section": "Kazakh section"}).fillna(cap["scope"])
    )
    cap["label"] = cap["capacity_mt"].map(lambda v: f"{v:g} Mt/yr") + ": " + cap["milestone"]
    cap["value_label"] = cap["capacity_mt"].map(lambda v: f"{v:g}")
    x = alt.X("year:O", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(tp)
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("measure_label:N"),
            y=alt.Y("volume_mt:Q", title="Million tonnes a year"),
            color=alt.Color(
                "measure_label:N",
                title=None,
                scale=alt.Scale(
                    domain=["Throughput, all shippers", "Throughput, Kazakh shippers"],
                    range=[style.PALE, style.ROUTE_COLORS["cpc"]],
                ),
            ),
            **_status_encoding(tp),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("measure_label:N", title="Measure"),
                alt.Tooltip("volume_mt:Q", title="Mt", format=".2f"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
    )
    tips = [
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("label:N", title="Capacity"),
        alt.Tooltip("scope_label:N", title="Scope"),
        alt.Tooltip("note:N", title="Note"),
        alt.Tooltip("source_label:N", title="Source"),
    ]
    caps = (
        alt.Chart(cap)
        .mark_point(size=120, filled=True, color=style.INK, opacity=1)
        .encode(
            x=x,
            y=alt.Y("capacity_mt:Q"),
            shape=alt.Shape(
                "scope_label:N",
                title="Capacity milestone",
                scale=alt.Scale(domain=["whole system", "Kazakh section"], range=["diamond", "triangle-down"]),
            ),
            tooltip=tips,
        )
    )
    values = (
        alt.Chart(cap)
        .mark_text(align="left", dx=8, fontSize=11, fontWeight=600)
        .encode(x=x, y=alt.Y("capacity_mt:Q"), text=alt.Text("value_label:N"), tooltip=tips)
    )
    milestones = "; ".join(
        f"{y}: {v:g} ({m[0].lower() + m[1:]}{', ' + s if s != 'whole system' and s.lower() not in m.lower() else ''})"
        for y, v, m, s in zip(cap["year"], cap["capacity_mt"], cap["milestone"], cap["scope_label"])
    )
    return (bars + caps + values).properties(
        width=WIDTH,
        height=300,
        title=alt.Title(
            "CPC throughput and capacity",
            subtitle=[
                "Bars: tonnes loaded per year. Diamonds and triangles: capacity milestones, Mt a year.",
                milestones + ".",
            ]
            + _status_note(tp),
        ),
        description="Bar chart of CPC throughput per year, all shippers and Kazakh shippers, with capacity milestones "
        "marked and labelled: " + milestones + ".",
    )


def losses_chart(by_year: pd.DataFrame) -> alt.LayerChart:
    """Estimated lost revenue per year as a low-high range; a year with nothing to estimate is a labelled gap, not a zero."""
    from .assumptions import ratio

    df = by_year.copy()
    years = list(range(int(df["year"].min()), int(df["year"].max()) + 1))
    df["quantified"] = df["events"] - df["events_not_estimated"]
    gap = df["quantified"] == 0
    for col in ("revenue_musd_low", "revenue_musd_high", "lost_mt_low", "lost_mt_high"):
        df[col] = df[col].astype(float).where(~gap)
    df["note"] = [
        (
            "no events"
            if n == 0
            else "not quantified"
            if q == 0
            else "no loss"
            if hi == 0
            else f"{q} of {n} events estimated"
        )
        for q, n, hi in zip(df["quantified"], df["events"], df["revenue_musd_high"])
    ]
    missing = pd.DataFrame({"year": [y for y in years if y not in set(df["year"])]})
    missing["note"] = "no events"
    notes = pd.concat([df.loc[gap | (df["revenue_musd_high"] == 0), ["year", "note"]], missing])
    base = alt.Chart(df)
    x = alt.X("year:O", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0))
    tips = [
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("revenue_musd_low:Q", title="Low (million US$)", format=",.0f"),
        alt.Tooltip("revenue_musd_high:Q", title="High (million US$)", format=",.0f"),
        alt.Tooltip("lost_mt_low:Q", title="Volume low (Mt)", format=".2f"),
        alt.Tooltip("lost_mt_high:Q", title="Volume high (Mt)", format=".2f"),
        alt.Tooltip("events:Q", title="Events"),
        alt.Tooltip("events_not_estimated:Q", title="Not estimated"),
        alt.Tooltip("note:N", title="Note"),
    ]
    bar = base.mark_bar(color=style.ROUTE_COLORS["cpc"], opacity=0.35, size=38).encode(
        x=x,
        y=alt.Y("revenue_musd_low:Q", title="Million US dollars (estimate)"),
        y2=alt.Y2("revenue_musd_high:Q"),
        tooltip=tips,
    )
    low = base.mark_tick(color=style.ROUTE_COLORS["cpc"], thickness=3, size=38).encode(
        x=x, y=alt.Y("revenue_musd_low:Q"), tooltip=tips
    )
    # the label stands upright just above the axis, where a bar would start
    gaps = (
        alt.Chart(notes)
        .mark_text(angle=270, align="left", baseline="middle", dy=0, fontSize=11, color=style.NEUTRAL_TEXT)
        .encode(
            x=x,
            y=alt.YValue(260 - 6),
            text=alt.Text("note:N"),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("note:N", title="Note")],
        )
    )
    return alt.layer(bar, low, gaps).properties(
        width=WIDTH - 200,
        height=260,
        title=alt.Title(
            "Estimated revenue deferred by CPC disruptions",
            subtitle=[
                f"ESTIMATE. Phases of each event x Kazakh flow x Brent, at {ratio().label()}.",
                "A year with nothing quantified is a labelled gap, not a zero.",
            ],
        ),
        description="Range chart of the estimated gross revenue lost to CPC disruptions per year, low and high, in million US dollars; years with no quantified event are left empty.",
    )


def _period_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return str(start.year)
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}" if start.month != end.month else f"{start:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def model_vs_reported_chart(comparison: pd.DataFrame) -> alt.LayerChart:
    """The book's estimate over each official figure, as a ratio: 1 means they agree; the band is 'within a third'."""
    df = comparison.copy()
    mid = (df["reported_low"] + df["reported_high"]) / 2
    df["ratio_low"], df["ratio_high"] = df["model_low"] / mid, df["model_high"] / mid
    df["label"] = [
        f"{m.capitalize()}, {_period_label(a, b)}"
        for m, a, b in zip(df["measure"], df["period_start"], df["period_end"], strict=True)
    ]
    df["unit_label"] = df["unit"].map({"Mt": "Mt", "million USD": "million US$"})
    df = _with_sources(df)
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=180))
    xs = alt.Scale(type="log", domain=[0.1, 10])
    tips = [
        alt.Tooltip("label:N", title="Figure"),
        alt.Tooltip("who:N", title="Reported by"),
        alt.Tooltip("kind:N", title="Kind"),
        alt.Tooltip("unit_label:N", title="Unit"),
        alt.Tooltip("reported_low:Q", title="Reported, low", format=",.2f"),
        alt.Tooltip("reported_high:Q", title="Reported, high", format=",.2f"),
        alt.Tooltip("model_low:Q", title="Estimate, low", format=",.2f"),
        alt.Tooltip("model_high:Q", title="Estimate, high", format=",.2f"),
        alt.Tooltip("ratio:Q", title="Estimate ÷ reported (midpoints)", format=".2f"),
        alt.Tooltip("source_label:N", title="Source"),
    ]
    band = (
        alt.Chart(pd.DataFrame({"lo": [2 / 3], "hi": [3 / 2], "what": ["Within a third either way"]}))
        .mark_rect(opacity=0.12, color=style.INK)
        .encode(x=alt.X("lo:Q", scale=xs), x2=alt.X2("hi:Q"), tooltip=[alt.Tooltip("what:N", title="Band")])
    )
    one = (
        alt.Chart(pd.DataFrame({"x": [1.0], "what": ["Estimate equals the official figure"]}))
        .mark_rule(color=style.INK, strokeDash=[4, 3])
        .encode(x=alt.X("x:Q", scale=xs), tooltip=[alt.Tooltip("what:N", title="Line")])
    )
    base = alt.Chart(df)
    bar = base.mark_bar(color=style.ROUTE_COLORS["cpc"], opacity=0.55, height=14).encode(
        y=y,
        x=alt.X("ratio_low:Q", scale=xs, title="Estimate ÷ reported (log scale)"),
        x2=alt.X2("ratio_high:Q"),
        tooltip=tips,
    )
    mid_tick = base.mark_tick(color=style.INK, thickness=2, size=18).encode(
        y=y, x=alt.X("ratio:Q", scale=xs), tooltip=tips
    )
    return (band + one + bar + mid_tick).properties(
        width=WIDTH - 200,
        height=alt.Step(34),
        title=alt.Title(
            "The estimate over what officials reported",
            subtitle=[
                "Bar: the estimate's range divided by the official figure; tick: midpoints; 1 = agree.",
                "Shaded: within a third either way.",
            ],
        ),
        description="For each official loss figure, the book's estimate divided by it, as a range on a log scale; 1 means they agree, and the shaded band marks agreement within a third.",
    )


def _undated(plans: pd.DataFrame) -> pd.Series:
    """Plans announced without a year (the data say so in their description)."""
    if "undated" in plans.columns:
        return plans["undated"].astype(bool)
    return plans["what"].str.contains("no year given", case=False, na=False)


def trans_caspian_chart(volumes: pd.DataFrame, plans: pd.DataFrame) -> alt.LayerChart:
    """Kazakh crude via BTC per year against the announced volumes, on a scale that shows the volumes.

    Dated plans are dashed lines from the year they apply. Plans announced without
    a year are dotted lines across the whole period, labelled "no year". A target
    far above the rest (the 20 Mt for Aktau and Kuryk) is named at the top edge
    instead of stretching the scale.
    """
    from .analysis import year_label

    v = _with_sources(volumes)
    v["label"] = [
        year_label(y, p) + (" (estimate)" if e else "") for y, p, e in zip(v["year"], v["period"], v["estimate"])
    ]
    v["kind"] = ["Full year" if p == "full_year" else "Part of the year" for p in v["period"]]
    v["year_mid"] = [f"{y}-{'07-01' if p == 'full_year' else '04-15'}" for y, p in zip(v["year"], v["period"])]
    pl = _with_sources(plans)
    pl["undated"] = _undated(pl)
    first, last = 2022, max(2027, int(pl["from_year"].max()))
    pl["start"] = [f"{first}-01-01" if u else f"{y}-01-01" for y, u in zip(pl["from_year"], pl["undated"])]
    pl["end"] = f"{last}-12-31"
    pl["when"] = ["no year given" if u else f"from {y}" for y, u in zip(pl["from_year"], pl["undated"])]
    pl["tag"] = [
        f"{m:g} Mt ({'no year' if u else y})"
        for m, y, u in zip(pl["volume_mt_per_year"], pl["from_year"], pl["undated"])
    ]
    # a plan more than twice every other figure is named at the top instead of setting the scale
    figures = sorted(list(v["volume_mt"]) + list(pl["volume_mt_per_year"]), reverse=True)
    limit = 2 * figures[1] if len(figures) > 1 else figures[0]
    top = float(int(1.15 * max(f for f in figures if f <= limit)) + 1)
    on_scale, off_scale = pl[pl["volume_mt_per_year"] <= limit], pl[pl["volume_mt_per_year"] > limit].copy()
    x = alt.X(
        "year_mid:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
        scale=alt.Scale(domain=[alt.DateTime(year=first, month=1, date=1), alt.DateTime(year=last, month=12, date=31)]),
    )
    y = alt.Y("volume_mt:Q", title="Million tonnes a year", scale=alt.Scale(domain=[0, top]))
    kinds = list(style.PLAN_COLORS)
    plan_scale = alt.Scale(domain=kinds, range=[style.PLAN_COLORS[k] for k in kinds])
    plan_color = alt.Color("kind:N", title="Announced", scale=plan_scale)
    plan_tips = [
        alt.Tooltip("what:N", title="Announced"),
        alt.Tooltip("volume_mt_per_year:Q", title="Mt a year"),
        alt.Tooltip("when:N", title="Applies"),
        alt.Tooltip("announced:Q", title="Year announced"),
        alt.Tooltip("source_label:N", title="Source"),
    ]
    dots = (
        alt.Chart(v)
        .mark_circle(size=160, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                title="Kazakh crude via BTC",
                scale=alt.Scale(
                    domain=["Full year", "Part of the year"], range=[style.ROUTE_COLORS["aktau_btc"], style.LIGHT_BLUE]
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Period"),
                alt.Tooltip("volume_mt:Q", title="Mt", format=".3f"),
                alt.Tooltip("note:N", title="Note"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
    )
    rules = (
        alt.Chart(on_scale)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("start:T"),
            x2=alt.X2("end:T"),
            y=alt.Y("volume_mt_per_year:Q"),
            color=plan_color,
            strokeDash=alt.StrokeDashValue(**alt.condition("datum.undated", alt.value([2, 3]), alt.value([6, 4]))),
            tooltip=plan_tips,
        )
    )
    # the labels in their line's colour, darker where that is too light for text
    quiet = alt.Color(
        "kind:N", scale=alt.Scale(domain=kinds, range=[style.PLAN_TEXT_COLORS[k] for k in kinds]), legend=None
    )
    tags = (
        alt.Chart(on_scale)
        .mark_text(align="right", baseline="bottom", dy=-3, fontSize=11)
        .encode(
            x=alt.X("end:T"), y=alt.Y("volume_mt_per_year:Q"), text=alt.Text("tag:N"), color=quiet, tooltip=plan_tips
        )
    )
    layers = [rules, tags, dots]
    if len(off_scale):
        off_scale["top"] = top
        off_scale["arrow"] = [
            ["↑ Off the scale:", f"{m:g} Mt a year,", f"{k}, {w}"]
            for m, k, w in zip(off_scale["volume_mt_per_year"], off_scale["kind"], off_scale["when"])
        ]
        layers.append(
            alt.Chart(off_scale)
            .mark_text(align="left", baseline="top", dy=2, dx=4, fontSize=11, fontWeight=600, lineHeight=13)
            .encode(x=alt.X("start:T"), y=alt.Y("top:Q"), text=alt.Text("arrow:N"), color=quiet, tooltip=plan_tips)
        )
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(
            width=WIDTH - 120,
            height=300,
            title=alt.Title(
                "Kazakh crude through BTC against the announced volumes",
                subtitle=[
                    "Dots: volumes carried. Dashed lines: agreements and targets from the year they apply;",
                    "dotted lines: announced without a year.",
                ],
            ),
            description="Dot chart of Kazakh crude volumes carried via BTC by year, 2022 to 2025, against lines for the "
            "agreements (1.5 and 2.2 Mt a year), the 7 Mt ambition for 2027, the undated 6–6.5 Mt goal and, "
            "named at the top, the undated 20 Mt presidential target.",
        )
    )


def chain_capacity_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Capacity against use for each link of the chain, in Mt a year, with CPC's Kazakh capacity for scale."""
    df = _with_sources(table[table["capacity_mt"].notna()])
    df["capacity_label"] = [
        ("estimate: " if e else "") + b for b, e in zip(df["capacity_basis"], df["capacity_estimate"])
    ]
    df["use_label"] = [
        f"{u:.2f} Mt in {int(y)}" if not pd.isna(u) else "no use figure"
        for u, y in zip(df["use_mt"], df["use_year"].fillna(0))
    ]
    df["name_wrapped"] = [_wrap(n, 24, 2) for n in df["name"]]
    order = list(df.sort_values(["order", "capacity_mt"])["name_wrapped"])
    y = alt.Y("name_wrapped:N", sort=order, title=None, axis=alt.Axis(labelExpr=MULTILINE, labelLimit=190))
    tips = [
        alt.Tooltip("name:N", title="Link"),
        alt.Tooltip("capacity_mt:Q", title="Capacity (Mt/yr)", format=".1f"),
        alt.Tooltip("capacity_label:N", title="Capacity is"),
        alt.Tooltip("use_label:N", title="Use"),
        alt.Tooltip("utilisation_pct:Q", title="Utilisation (%)", format=".0f"),
        alt.Tooltip("owner:N", title="Owner"),
        alt.Tooltip("source_label:N", title="Source"),
    ]
    cap = (
        alt.Chart(df)
        .mark_bar(color=style.FAINT, stroke=style.OUTLINE)
        .encode(
            y=y,
            x=alt.X("capacity_mt:Q", title="Million tonnes a year"),
            tooltip=tips,
            strokeDash=alt.StrokeDashValue(
                **alt.condition("datum.capacity_estimate", alt.value([4, 3]), alt.value([1, 0]))
            ),
        )
    )
    use = (
        alt.Chart(df[df["use_mt"].notna()])
        .mark_bar(color=style.ROUTE_COLORS["aktau_btc"], height=9)
        .encode(y=y, x=alt.X("use_mt:Q"), tooltip=tips)
    )
    return (cap + use).properties(
        width=WIDTH - 200,
        height=34 * len(df),
        title=alt.Title(
            "Capacity and use, link by link",
            subtitle=[
                "Grey: capacity (dashed outline: the book's estimate). Blue: volume carried.",
                "BTC converted from barrels at its own derived ratio.",
            ],
        ),
        description="Horizontal bar chart of capacity and current use for each link of the Trans-Caspian chain and for CPC's Kazakh capacity, million tonnes a year.",
    )


def btc_throughput_chart(btc: pd.DataFrame, capacity_mt: float) -> alt.LayerChart:
    """BTC's yearly flow in tonnes against its design capacity, the capacity line labelled on the chart."""
    df = _with_status(_with_sources(btc[btc["measure"] == "total_mt"]))
    years = list(range(2015, int(df["year"].max()) + 1))
    cap = pd.DataFrame(
        {
            "capacity_mt": [capacity_mt],
            "year": [years[0]],
            "label": [f"Capacity: 1.2 million b/d, about {capacity_mt:.0f} Mt a year"],
            "tag": [f"Design capacity, about {capacity_mt:.0f} Mt a year"],
        }
    )
    bars = (
        alt.Chart(df)
        .mark_bar(color=style.NEUTRAL)
        .encode(
            x=alt.X("year:O", scale=alt.Scale(domain=years), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title="Million tonnes a year", scale=alt.Scale(domain=[0, 65])),
            **_status_encoding(df),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="Mt", format=".2f"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("note:N", title="Note"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
    )
    rule = (
        alt.Chart(cap)
        .mark_rule(color=style.INK, strokeDash=[6, 4], strokeWidth=2)
        .encode(y=alt.Y("capacity_mt:Q"), tooltip=[alt.Tooltip("label:N", title="BTC")])
    )
    tag = (
        alt.Chart(cap)
        .mark_text(align="left", baseline="bottom", dy=-4, x=2, fontSize=11, fontWeight=600)
        .encode(y=alt.Y("capacity_mt:Q"), text=alt.Text("tag:N"), tooltip=[alt.Tooltip("label:N", title="BTC")])
    )
    return (bars + rule + tag).properties(
        width=WIDTH - 100,
        height=240,
        title=alt.Title(
            "BTC: oil carried and capacity",
            subtitle=["Million tonnes a year. Missing years have no published full-year figure."] + _status_note(df),
        ),
        description="Bar chart of oil carried by the Baku-Tbilisi-Ceyhan pipeline per year with its design capacity as a labelled dashed line.",
    )


SCENARIO_ROUTE_LABELS = {
    "aktau_btc": "Trans-Caspian to BTC",
    "aktau_supsa": "Trans-Caspian to Supsa",
    "atyrau_samara": "Atyrau–Samara (Russia)",
    "kazakhstan_china": "Kazakhstan–China",
    "aktau_makhachkala": "Aktau–Makhachkala (Russia)",
    "shortfall": "Shortfall (not rerouted)",
}


def _revenue_note() -> str:
    from .assumptions import model_defaults

    d = model_defaults()
    return f"Revenue at risk: the shortfall at {d.ratio_label} and {d.brent_year}'s Brent price, ${d.brent_usd:.2f} (an estimate)."


def _slider(values, preferred):
    """A slider over the grid's own values: its step is their finest spacing, so every position is a computed run."""
    values = sorted({int(v) for v in values})
    steps = [b - a for a, b in zip(values, values[1:])]
    step = min(steps) if steps else 1
    start = min(values, key=lambda v: abs(v - preferred))
    return values[0], values[-1], step, start


def scenario_chart(grid: pd.DataFrame) -> alt.VConcatChart:
    """Rerouted volume by route and the shortfall, for an outage chosen with sliders (precomputed grid).

    The slider steps follow the grid (5% steps if the grid has them). The x axis is
    fixed at the largest volume in the whole grid, so bars can be compared between
    positions; each bar carries its value, so small ones stay readable.
    """
    df = grid.copy()
    df["route"] = df["route_id"].map(SCENARIO_ROUTE_LABELS)
    # keep the page light: only what the chart shows, rounded, and one row per position of the controls
    # with a column per route (the browser folds the routes back into bars), so each case's totals are
    # written once rather than once per route
    df = df.round({"volume_mt": 3, "lost_mt": 3, "shortfall_mt": 3, "revenue_at_risk_musd": 0})
    case = ["scenario", "depth_pct", "months"]
    routes = list(dict.fromkeys(df["route"]))  # the grid's order, which is the order the bars are drawn in
    totals = df.groupby(case, sort=False)[["lost_mt", "shortfall_mt", "revenue_at_risk_musd"]].first()
    volumes = df.pivot(index=case, columns="route", values="volume_mt")[routes]
    wide = volumes.reindex(totals.index).join(totals).reset_index()  # the cases in the grid's order
    top = float(df["volume_mt"].max()) or 1.0
    reach = top * 1.15  # room for the value written after the longest bar
    order = list(SCENARIO_ROUTE_LABELS.values())
    colors = [
        style.ROUTE_COLORS["aktau_btc"],
        style.ROUTE_COLORS["aktau_supsa"],
        style.ROUTE_COLORS["atyrau_samara"],
        style.ROUTE_COLORS["kazakhstan_china"],
        style.ROUTE_COLORS["aktau_makhachkala"],
        style.SHORTFALL,
    ]
    scenarios = list(dict.fromkeys(df["scenario"]))
    d_min, d_max, d_step, d_start = _slider(df["depth_pct"], 40)
    m_min, m_max, m_step, m_start = _slider(df["months"], 3)
    depth = alt.param(
        name="depth",
        value=d_start,
        bind=alt.binding_range(min=d_min, max=d_max, step=d_step, name="Outage depth, % of CPC's Kazakh flow: "),
    )
    months = alt.param(
        name="months",
        value=m_start,
        bind=alt.binding_range(min=m_min, max=m_max, step=m_step, name="Outage length, months: "),
    )
    scen = alt.param(name="scenario", value=scenarios[0], bind=alt.binding_radio(options=scenarios, name="Capacity: "))
    case_shown = alt.Chart(wide).transform_filter(
        (alt.datum.depth_pct == depth) & (alt.datum.months == months) & (alt.datum.scenario == scen)
    )
    base = case_shown.transform_fold(routes, as_=["route", "volume_mt"])
    y = alt.Y("route:N", sort=order, title=None, axis=alt.Axis(labelLimit=170))
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X(
            "volume_mt:Q",
            title="Million tonnes over the outage",
            scale=alt.Scale(domain=[0, reach], nice=False, clamp=True),
            axis=alt.Axis(tickCount=6),
        ),
        color=alt.Color("route:N", scale=alt.Scale(domain=order, range=colors), legend=None),
        tooltip=[
            alt.Tooltip("route:N", title="Route"),
            alt.Tooltip("volume_mt:Q", title="Mt", format=".2f"),
            alt.Tooltip("lost_mt:Q", title="CPC volume lost (Mt)", format=".2f"),
            alt.Tooltip("revenue_at_risk_musd:Q", title="Revenue at risk (million US$)", format=",.0f"),
        ],
    )
    values = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=y,
        x=alt.X("volume_mt:Q", scale=alt.Scale(domain=[0, reach], nice=False, clamp=True)),
        text=alt.Text("volume_mt:Q", format=".2f"),
    )
    plot = alt.layer(bars, values).add_params(depth, months, scen).properties(width=WIDTH - 190, height=210)
    # the readout is three short lines, so it never runs past a narrow column
    summary = (
        case_shown.transform_calculate(
            label="['CPC volume lost: ' + format(datum.lost_mt, '.1f') + ' Mt', 'Not rerouted: ' + format(datum.shortfall_mt, '.1f') + ' Mt',"
            " 'Revenue at risk: $' + format(datum.revenue_at_risk_musd, ',.0f') + 'm']"
        )
        .mark_text(align="left", baseline="top", fontSize=13, fontWeight=600, lineHeight=18)
        .encode(x=alt.XValue(0), y=alt.YValue(4), text=alt.Text("label:N"))
        .properties(width=WIDTH - 190, height=58)
    )
    return alt.vconcat(plot, summary, spacing=6).properties(
        title=alt.Title(
            "Rerouting a CPC outage",
            subtitle=[
                "Move the sliders: each position is a precomputed run of the route-capacity model.",
                f"The axis stays fixed at the largest case ({top:.0f} Mt) so positions can be compared.",
                _revenue_note(),
            ],
        ),
        description="Interactive bar chart: for the outage depth and length chosen with two sliders, the volume each alternative route could take and the shortfall, in million tonnes, with the revenue at risk.",
    )
