"""Altair charts in the book's one style, rendered so they work offline in the built book.

Importing this module registers and enables the book's theme and a renderer
that embeds each chart with Vega-Embed. In the built book the Vega libraries
come from ``_static/vendor``; in Jupyter or Colab they come from a CDN.
"""

from __future__ import annotations

import json
import uuid

import altair as alt
import pandas as pd

from . import style
from .bib import source_label

WIDTH = 620


@alt.theme.register("oilroutes", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": style.FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 320},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "subtitleColor": "#555", "subtitleFontSize": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleColor": "#333", "gridColor": "#e5e5e5",
                     "domainColor": "#888", "tickColor": "#888"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": 2, "labelLimit": 320},
            "bar": {"stroke": "white", "strokeWidth": 0.5},
        }
    }


_LOADER = """
<div id="{div}" class="oilroutes-chart" role="figure" aria-label="{alt}"></div>
<script type="text/javascript">
(function() {{
  var spec = {spec};
  var urls = {urls};
  function embed() {{
    vegaEmbed("#{div}", spec, {{actions: {{export: true, source: false, compiled: false, editor: false}}, renderer: "svg"}})
      .then(function() {{ var s = document.querySelector("#{div} summary"); if (s) {{ s.setAttribute("aria-label", "Save the chart"); }} }})
      .catch(function(err) {{ console.error("chart {div}: " + err); }});
  }}
  function load(i) {{
    if (i >= urls.length) {{ if (window.__oilroutesAmd) {{ window.define = window.__oilroutesAmd; }} embed(); return; }}
    var s = document.createElement("script");
    s.src = urls[i];
    s.onload = function() {{ load(i + 1); }};
    s.onerror = function() {{ console.error("could not load " + urls[i]); }};
    document.head.appendChild(s);
  }}
  if (window.vegaEmbed) {{ embed(); return; }}
  if (window.__oilroutesVegaLoading) {{ window.__oilroutesVegaLoading.push(embed); return; }}
  // Vega's UMD bundles register as AMD modules when require.js is on the page; hide it while loading.
  if (typeof window.define === "function" && window.define.amd) {{ window.__oilroutesAmd = window.define; window.define = undefined; }}
  window.__oilroutesVegaLoading = [];
  var done = embed;
  embed = function() {{ done(); (window.__oilroutesVegaLoading || []).forEach(function(f) {{ f(); }}); window.__oilroutesVegaLoading = null; }};
  load(0);
}})();
</script>
"""


def _renderer(spec: dict, **metadata) -> dict:
    div = "vis-" + uuid.uuid4().hex[:10]
    urls = [style.asset_url(n) for n in ("vega", "vega-lite", "vega-embed")]
    description = spec.get("description") or "chart"
    html = _LOADER.format(div=div, spec=json.dumps(spec, separators=(",", ":")), urls=json.dumps(urls),
                          alt=description.replace('"', "'"))
    return {"text/html": html, "text/plain": f"<Altair chart: {description}>"}


alt.renderers.register("oilroutes", _renderer)
alt.renderers.enable("oilroutes")
alt.data_transformers.disable_max_rows()


def _with_sources(df: pd.DataFrame, column: str = "source") -> pd.DataFrame:
    out = df.copy()
    out["source_label"] = [source_label(s) if isinstance(s, str) else "" for s in out[column]]
    return out


def exports_by_route_chart(split: pd.DataFrame, title: str = "Kazakh crude exports by route") -> alt.Chart:
    """Stacked bars of exports per year and route; hover a segment for its volume, share and source."""
    df = _with_sources(split)
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
        + ", ".join(dict.fromkeys(df["year_label"])) + "."
    )
    return (
        alt.Chart(df, title=alt.Title(title, subtitle=["Million tonnes. Partial years are labelled; empty years have no published split by route.", "Click the legend to highlight a route."]),
                  description=description)
        .mark_bar()
        .encode(
            x=alt.X("year_label:N", title=None, scale=alt.Scale(domain=axis_years), axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("sum(volume_mt):Q", title="Exports (Mt)"),
            color=alt.Color("route_label:N", title="Route",
                            scale=alt.Scale(domain=[names[r] for r in order], range=[style.ROUTE_COLORS[r] for r in order])),
            order=alt.Order("stack_order:Q"),
            opacity=alt.condition(select, alt.value(1), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("year_label:N", title="Year"),
                alt.Tooltip("route_label:N", title="Route"),
                alt.Tooltip("volume_mt:Q", title="Volume (Mt)", format=".2f"),
                alt.Tooltip("share_pct:Q", title="Share of exports (%)", format=".1f"),
                alt.Tooltip("crosses_russia:N", title="Crosses Russia"),
                alt.Tooltip("source_label:N", title="Source"),
            ],
        )
        .add_params(select)
        .properties(width=WIDTH, height=340)
    )


MEASURE_COLORS = {"Production": "#4d4d4d", "Exports": "#b2182b"}
GROUP_COLORS = {
    "Russian state": "#b2182b", "Russian companies": "#d6604d", "Russian–Western joint venture": "#f4a582",
    "Kazakh state": "#1b7837", "US majors": "#2166ac", "Other Western companies": "#92c5de",
}


def production_exports_chart(df: pd.DataFrame) -> alt.Chart:
    """Production and exports side by side per year; a year without a published figure is a gap."""
    long = pd.concat([
        pd.DataFrame({"year": df["year"].astype(str), "measure": "Production", "mt": df["production_mt"], "source": df["production_source"]}),
        pd.DataFrame({"year": df["year"].astype(str), "measure": "Exports", "mt": df["exports_mt"], "source": df["exports_source"]}),
    ])
    long = _with_sources(long.dropna(subset=["mt"]))
    years = [str(y) for y in df["year"]]
    return (
        alt.Chart(long, title=alt.Title("Oil and condensate: production and exports",
                                        subtitle="Million tonnes. A missing bar means no published full-year figure was found."),
                  description="Grouped bar chart of Kazakhstan's oil production and exports by year, million tonnes, " + years[0] + "–" + years[-1] + ".")
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["Production", "Exports"]),
            y=alt.Y("mt:Q", title="Million tonnes"),
            color=alt.Color("measure:N", title=None, sort=["Production", "Exports"],
                            scale=alt.Scale(domain=list(MEASURE_COLORS), range=list(MEASURE_COLORS.values()))),
            tooltip=[alt.Tooltip("year:N", title="Year"), alt.Tooltip("measure:N", title="Measure"),
                     alt.Tooltip("mt:Q", title="Mt", format=".2f"), alt.Tooltip("source_label:N", title="Source")],
        )
        .properties(width=WIDTH, height=300)
    )


def russia_share_chart(share: pd.DataFrame) -> alt.Chart:
    """The share of exports crossing Russia per year, as a range from certain to possible."""
    df = share.copy()
    base = alt.Chart(df, title=alt.Title("Share of exports crossing Russian territory",
                                         subtitle=["Per cent. Filled dot: routes that certainly cross Russia.", "Hollow dot: adding routes with unknown destinations and volume not itemised by route."]),
                     description="Range chart of the share of Kazakh crude exports that crosses Russia, per year, low and high estimate in per cent.")
    x = alt.X("year_label:N", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    tips = [alt.Tooltip("year_label:N", title="Year"), alt.Tooltip("share_low_pct:Q", title="At least (%)", format=".1f"),
            alt.Tooltip("share_high_pct:Q", title="At most (%)", format=".1f"), alt.Tooltip("total_mt:Q", title="Exports (Mt)", format=".1f")]
    rule = base.mark_rule(strokeWidth=10, opacity=0.35, color=style.ROUTE_COLORS["cpc"]).encode(
        x=x, y=alt.Y("share_low_pct:Q", title="Per cent of exports", scale=alt.Scale(domain=[0, 100])),
        y2="share_high_pct:Q", tooltip=tips)
    low = base.mark_point(filled=True, size=70, color=style.ROUTE_COLORS["cpc"]).encode(x=x, y="share_low_pct:Q", tooltip=tips)
    high = base.mark_point(filled=False, size=70, color=style.ROUTE_COLORS["cpc"]).encode(x=x, y="share_high_pct:Q", tooltip=tips)
    return (rule + low + high).properties(
        width=WIDTH, height=240,
        description="Range chart of the share of Kazakh crude exports that crosses Russia, per year: low and high estimate in per cent.")


def ownership_chart(shareholders: pd.DataFrame) -> alt.Chart:
    """Each CPC shareholder's stake, coloured by the group behind it."""
    df = _with_sources(shareholders)
    order = list(df.sort_values("stake_pct", ascending=False)["shareholder"])
    groups = [g for g in GROUP_COLORS if g in set(df["group"])]
    return (
        alt.Chart(df, title=alt.Title("Who owns the Caspian Pipeline Consortium", subtitle="Per cent of shares, by shareholder"),
                  description="Horizontal bar chart of the stakes of the eleven CPC shareholders, coloured by group.")
        .mark_bar()
        .encode(
            y=alt.Y("shareholder:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
            x=alt.X("stake_pct:Q", title="Stake (%)"),
            color=alt.Color("group:N", title="Group", scale=alt.Scale(domain=groups, range=[GROUP_COLORS[g] for g in groups])),
            tooltip=[alt.Tooltip("shareholder:N", title="Shareholder"), alt.Tooltip("stake_pct:Q", title="Stake (%)", format=".2f"),
                     alt.Tooltip("group:N", title="Group"), alt.Tooltip("source_label:N", title="Source")],
        )
        .properties(width=WIDTH - 200, height=300)
    )


def eu_share_chart(eu: pd.DataFrame) -> alt.Chart:
    """Kazakhstan's share of EU oil imports by period, as Eurostat and the Commission report it."""
    df = eu[eu["indicator"].isin(["share_of_eu_crude_imports", "share_of_eu_oil_imports"])].copy()
    df = _with_sources(df)
    df["kind"] = ["Quarter" if m == 3 else "Year" for m in df["months"]]
    df["period_start"] = df["period_start"].dt.strftime("%Y-%m-%d")
    return (
        alt.Chart(df, title=alt.Title("Kazakhstan's share of EU oil imports", subtitle="Per cent, by year or quarter (Eurostat; the European Commission for 2021)"),
                  description="Dot chart of Kazakhstan's share of EU oil imports by period, from 8% in 2021 to 12.7% in the first quarter of 2025.")
        .mark_point(filled=True, size=110)
        .encode(
            x=alt.X("period_start:T", title=None, axis=alt.Axis(format="%Y")),
            y=alt.Y("value:Q", title="Share of EU oil imports (%)", scale=alt.Scale(domain=[0, 15])),
            shape=alt.Shape("kind:N", title=None),
            color=alt.value(style.ROUTE_COLORS["aktau_btc"]),
            tooltip=[alt.Tooltip("period:N", title="Period"), alt.Tooltip("value:Q", title="Share (%)", format=".1f"),
                     alt.Tooltip("note:N", title="Note"), alt.Tooltip("source_label:N", title="Source")],
        )
        .properties(width=WIDTH, height=220)
    )


EVENT_COLORS, EVENT_LABELS = style.EVENT_COLORS, style.EVENT_LABELS


def _event_type_scale():
    return alt.Scale(domain=list(EVENT_LABELS.values()), range=list(EVENT_COLORS.values()))


def disruption_timeline_chart(losses: pd.DataFrame, events: pd.DataFrame, throughput: pd.DataFrame,
                              context: pd.DataFrame | None = None) -> alt.VConcatChart:
    """CPC disruptions as bars from start to end, coloured by type, above CPC's yearly throughput.

    Events with no reported end are drawn to their assumed end and hatched lighter.
    Political events from ``context`` are vertical rules on the timeline.
    """
    ev = events[["event_id", "title", "asset", "reported_effect", "source"]].merge(
        losses[["event_id", "event_type", "start_date", "end_used", "days", "end_assumed"]], on="event_id")
    ev = _with_sources(ev)
    ev["type_label"] = ev["event_type"].map(EVENT_LABELS)
    ev["end_note"] = ["no end reported: drawn for the assumed duration" if a else "reported" for a in ev["end_assumed"]]
    # a one-day event still needs a visible bar
    ev["end_draw"] = [max(e, s + pd.Timedelta(days=12)) for s, e in zip(ev["start_date"], ev["end_used"])]
    ev["label"] = ev["start_date"].dt.strftime("%b %Y") + ": " + ev["title"]
    for c in ("start_date", "end_used", "end_draw"):
        ev[c] = ev[c].dt.strftime("%Y-%m-%d")
    order = list(ev.sort_values("start_date")["label"])
    first, last = int(ev["start_date"].str[:4].min()), int(ev["end_draw"].str[:4].max())
    x = alt.X("start_date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    bars = alt.Chart(ev).mark_bar(height=11, cornerRadius=2, clip=True).encode(
        x=x, x2="end_draw:T",
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=270)),
        color=alt.Color("type_label:N", title="Type", scale=_event_type_scale()),
        opacity=alt.condition("datum.end_assumed", alt.value(0.45), alt.value(1)),
        tooltip=[alt.Tooltip("title:N", title="Event"), alt.Tooltip("type_label:N", title="Type"),
                 alt.Tooltip("start_date:N", title="Start"), alt.Tooltip("end_used:N", title="End"),
                 alt.Tooltip("end_note:N", title="End date"), alt.Tooltip("asset:N", title="Asset"),
                 alt.Tooltip("reported_effect:N", title="Reported effect"), alt.Tooltip("source_label:N", title="Source")],
    )
    layers = [bars]
    if context is not None and len(context):
        ctx = _with_sources(context)
        ctx["date"] = pd.to_datetime(ctx["date"]).dt.strftime("%Y-%m-%d")
        layers.append(alt.Chart(ctx).mark_rule(color="#444", strokeDash=[3, 3]).encode(
            x="date:T", tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("what_happened:N", title="Political event"),
                                 alt.Tooltip("source_label:N", title="Source")]))
    timeline = alt.layer(*layers).properties(width=WIDTH - 290, height=max(220, 17 * len(ev)),
                                             title=alt.Title("Disruptions to the CPC system", subtitle=[
                                                 "Bars run from start to reported end; faded bars have no reported end.",
                                                 "Dashed lines: political events of 2022 (hover for details)."]))
    tp = throughput[throughput["preferred"] & (throughput["year"] >= first) & (throughput["year"] <= last)].copy()
    tp = _with_sources(tp)
    tp["measure_label"] = tp["measure"].map({"total": "All shippers", "kazakh": "Kazakh shippers"})
    tp["year_start"] = tp["year"].astype(str) + "-01-15"
    tp["year_end"] = tp["year"].astype(str) + "-12-15"
    tp["x_offset"] = tp["measure"].map({"total": 0, "kazakh": 1})
    tp["year_start"] = [f"{y}-{'01-20' if o == 0 else '07-01'}" for y, o in zip(tp["year"], tp["x_offset"])]
    tp["year_end"] = [f"{y}-{'06-25' if o == 0 else '12-10'}" for y, o in zip(tp["year"], tp["x_offset"])]
    volume = alt.Chart(tp).mark_rect(opacity=0.9, clip=True).encode(
        x=alt.X("year_start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        x2="year_end:T",
        y=alt.Y("volume_mt:Q", title="Mt loaded", scale=alt.Scale(domain=[0, 80])), y2=alt.datum(0),
        color=alt.Color("measure_label:N", title="CPC throughput",
                        scale=alt.Scale(domain=["All shippers", "Kazakh shippers"], range=["#bdbdbd", style.ROUTE_COLORS["cpc"]])),
        tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("measure_label:N", title="Measure"),
                 alt.Tooltip("volume_mt:Q", title="Mt", format=".2f"), alt.Tooltip("estimate:N", title="Estimate"),
                 alt.Tooltip("source_label:N", title="Source")],
    ).properties(width=WIDTH - 290, height=160, title=alt.Title("CPC throughput by year", subtitle="Million tonnes; missing years have no published figure"))
    # one time axis for both panels: the throughput shares the timeline's domain
    return alt.vconcat(timeline, volume, spacing=18).resolve_scale(color="independent", x="shared").properties(
        description="Timeline of CPC disruptions by type and duration, 2021 to 2026, above a bar chart of CPC throughput by year.")


def throughput_capacity_chart(throughput: pd.DataFrame, capacity: pd.DataFrame) -> alt.LayerChart:
    """CPC throughput per year against the capacity milestones of the system."""
    tp = _with_sources(throughput[throughput["preferred"]])
    tp["measure_label"] = tp["measure"].map({"total": "Throughput, all shippers", "kazakh": "Throughput, Kazakh shippers"})
    cap = _with_sources(capacity)
    cap["label"] = cap["capacity_mt"].map(lambda v: f"{v:g} Mt/yr") + ": " + cap["milestone"]
    years = list(range(int(min(tp["year"].min(), 2015)), int(tp["year"].max()) + 1))
    x = alt.X("year:O", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(tp).mark_bar().encode(
        x=x, xOffset=alt.XOffset("measure_label:N"), y=alt.Y("volume_mt:Q", title="Million tonnes a year"),
        color=alt.Color("measure_label:N", title=None, scale=alt.Scale(
            domain=["Throughput, all shippers", "Throughput, Kazakh shippers"], range=["#bdbdbd", style.ROUTE_COLORS["cpc"]])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("measure_label:N", title="Measure"),
                 alt.Tooltip("volume_mt:Q", title="Mt", format=".2f"), alt.Tooltip("source_label:N", title="Source")])
    caps = alt.Chart(cap[cap["year"] >= years[0]]).mark_point(shape="diamond", size=120, filled=True, color="#1a1a1a").encode(
        x=x, y="capacity_mt:Q",
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title="Capacity"), alt.Tooltip("scope:N", title="Scope"),
                 alt.Tooltip("source_label:N", title="Source")])
    return (bars + caps).properties(
        width=WIDTH, height=300,
        title=alt.Title("CPC throughput and capacity", subtitle="Bars: tonnes loaded per year. Diamonds: capacity milestones (hover for scope)."),
        description="Bar chart of CPC throughput per year, all shippers and Kazakh shippers, with capacity milestones as diamonds.")


def losses_chart(by_year: pd.DataFrame) -> alt.LayerChart:
    """Estimated lost revenue per year as a low-high range."""
    df = by_year.copy()
    base = alt.Chart(df)
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    tips = [alt.Tooltip("year:O", title="Year"), alt.Tooltip("revenue_musd_low:Q", title="Low (million US$)", format=",.0f"),
            alt.Tooltip("revenue_musd_high:Q", title="High (million US$)", format=",.0f"),
            alt.Tooltip("lost_mt_low:Q", title="Volume low (Mt)", format=".2f"), alt.Tooltip("lost_mt_high:Q", title="Volume high (Mt)", format=".2f"),
            alt.Tooltip("events:Q", title="Events"), alt.Tooltip("events_not_estimated:Q", title="Not estimated")]
    bar = base.mark_bar(color=style.ROUTE_COLORS["cpc"], opacity=0.35, size=38).encode(
        x=x, y=alt.Y("revenue_musd_low:Q", title="Million US dollars (estimate)"), y2="revenue_musd_high:Q", tooltip=tips)
    low = base.mark_tick(color=style.ROUTE_COLORS["cpc"], thickness=3, size=38).encode(x=x, y="revenue_musd_low:Q", tooltip=tips)
    return (bar + low).properties(
        width=WIDTH - 200, height=260,
        title=alt.Title("Estimated revenue lost to CPC disruptions", subtitle=["ESTIMATE. Range from reported cut x duration x Brent, 7.3-7.6 bbl/t.",
                                                                               "Events with no quantified effect are not included."]),
        description="Range chart of the estimated gross revenue lost to CPC disruptions per year, low and high, in million US dollars.")


def trans_caspian_chart(volumes: pd.DataFrame, plans: pd.DataFrame) -> alt.LayerChart:
    """Kazakh crude via BTC per year (partial years and estimates labelled) against the announced volumes."""
    from .analysis import year_label

    v = _with_sources(volumes)
    v["label"] = [year_label(y, p) + (" (estimate)" if e else "") for y, p, e in zip(v["year"], v["period"], v["estimate"])]
    v["kind"] = ["Full year" if p == "full_year" else "Part of the year" for p in v["period"]]
    v["year_mid"] = [f"{y}-{'07-01' if p == 'full_year' else '04-15'}" for y, p in zip(v["year"], v["period"])]
    pl = _with_sources(plans)
    pl["start"] = pl["from_year"].astype(str) + "-01-01"
    pl["end"] = "2027-12-31"
    x = alt.X("year_mid:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"),
              scale=alt.Scale(domain=[alt.DateTime(year=2022, month=1, date=1), alt.DateTime(year=2027, month=12, date=31)]))
    bars = alt.Chart(v).mark_circle(size=160, opacity=1).encode(
        x=x, y=alt.Y("volume_mt:Q", title="Million tonnes a year"),
        color=alt.Color("kind:N", title="Kazakh crude via BTC", scale=alt.Scale(domain=["Full year", "Part of the year"], range=[style.ROUTE_COLORS["aktau_btc"], "#92c5de"])),
        tooltip=[alt.Tooltip("label:N", title="Period"), alt.Tooltip("volume_mt:Q", title="Mt", format=".3f"),
                 alt.Tooltip("note:N", title="Note"), alt.Tooltip("source_label:N", title="Source")])
    rules = alt.Chart(pl).mark_rule(strokeWidth=2, strokeDash=[6, 4]).encode(
        x=alt.X("start:T"), x2="end:T", y="volume_mt_per_year:Q",
        color=alt.Color("kind:N", title="Announced", scale=alt.Scale(domain=["agreement", "ambition", "presidential target"], range=["#2166ac", "#e08214", "#b2182b"])),
        tooltip=[alt.Tooltip("what:N", title="Announced"), alt.Tooltip("volume_mt_per_year:Q", title="Mt a year"),
                 alt.Tooltip("announced:Q", title="Year announced"), alt.Tooltip("source_label:N", title="Source")])
    return (rules + bars).resolve_scale(color="independent").properties(
        width=WIDTH - 120, height=300,
        title=alt.Title("Kazakh crude through BTC against the announced volumes",
                        subtitle=["Dots: volumes carried. Dashed lines: agreements and targets from the year they apply.",
                                  "Targets announced without a year are drawn from 2025 (see their tooltips)."]),
        description="Dot chart of Kazakh crude volumes carried via BTC by year, 2022 to 2025, against dashed lines for the agreements (1.5 and 2.2 Mt a year), the 7 Mt ambition for 2027 and the 20 Mt presidential target.")


def chain_capacity_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Capacity against use for each link of the chain, in Mt a year, with CPC's Kazakh capacity for scale."""
    df = _with_sources(table[table["capacity_mt"].notna()])
    df["capacity_label"] = [("estimate: " if e else "") + b for b, e in zip(df["capacity_basis"], df["capacity_estimate"])]
    df["use_label"] = [f"{u:.2f} Mt in {int(y)}" if not pd.isna(u) else "no use figure" for u, y in zip(df["use_mt"], df["use_year"].fillna(0))]
    order = list(df.sort_values(["order", "capacity_mt"])["name"])
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    tips = [alt.Tooltip("name:N", title="Link"), alt.Tooltip("capacity_mt:Q", title="Capacity (Mt/yr)", format=".1f"),
            alt.Tooltip("capacity_label:N", title="Capacity is"), alt.Tooltip("use_label:N", title="Use"),
            alt.Tooltip("utilisation_pct:Q", title="Utilisation (%)", format=".0f"), alt.Tooltip("owner:N", title="Owner"),
            alt.Tooltip("source_label:N", title="Source")]
    cap = alt.Chart(df).mark_bar(color="#d9d9d9", stroke="#969696").encode(
        y=y, x=alt.X("capacity_mt:Q", title="Million tonnes a year"), tooltip=tips,
        strokeDash=alt.condition("datum.capacity_estimate", alt.value([4, 3]), alt.value([1, 0])))
    use = alt.Chart(df[df["use_mt"].notna()]).mark_bar(color=style.ROUTE_COLORS["aktau_btc"], height=9).encode(
        y=y, x="use_mt:Q", tooltip=tips)
    return (cap + use).properties(
        width=WIDTH - 260, height=260,
        title=alt.Title("Capacity and use, link by link", subtitle=["Grey: capacity (dashed outline: the book's estimate). Blue: volume carried.",
                                                                    "BTC converted from barrels at its own derived ratio."]),
        description="Horizontal bar chart of capacity and current use for each link of the Trans-Caspian chain and for CPC's Kazakh capacity, million tonnes a year.")


def btc_throughput_chart(btc: pd.DataFrame, capacity_mt: float) -> alt.LayerChart:
    """BTC's yearly flow in tonnes against its design capacity."""
    df = _with_sources(btc[btc["measure"] == "total_mt"])
    cap = pd.DataFrame({"capacity_mt": [capacity_mt], "label": [f"Capacity: 1.2 million b/d, about {capacity_mt:.0f} Mt a year"]})
    years = list(range(2015, int(df["year"].max()) + 1))
    bars = alt.Chart(df).mark_bar(color="#878787").encode(
        x=alt.X("year:O", scale=alt.Scale(domain=years), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title="Million tonnes a year", scale=alt.Scale(domain=[0, 65])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("value:Q", title="Mt", format=".2f"),
                 alt.Tooltip("note:N", title="Note"), alt.Tooltip("source_label:N", title="Source")])
    rule = alt.Chart(cap).mark_rule(color="#1a1a1a", strokeDash=[6, 4], strokeWidth=2).encode(
        y="capacity_mt:Q", tooltip=[alt.Tooltip("label:N", title="BTC")])
    return (bars + rule).properties(
        width=WIDTH - 100, height=240,
        title=alt.Title("BTC: oil carried and capacity", subtitle="Million tonnes a year. Missing years have no published full-year figure."),
        description="Bar chart of oil carried by the Baku-Tbilisi-Ceyhan pipeline per year with its design capacity as a dashed line.")


SCENARIO_ROUTE_LABELS = {
    "aktau_btc": "Trans-Caspian to BTC", "aktau_supsa": "Trans-Caspian to Supsa", "atyrau_samara": "Atyrau–Samara (Russia)",
    "kazakhstan_china": "Kazakhstan–China", "aktau_makhachkala": "Aktau–Makhachkala (Russia)", "shortfall": "Shortfall (not rerouted)",
}


def scenario_chart(grid: pd.DataFrame) -> alt.VConcatChart:
    """Rerouted volume by route and the shortfall, for an outage chosen with sliders (precomputed grid)."""
    df = grid.copy()
    df["route"] = df["route_id"].map(SCENARIO_ROUTE_LABELS)
    # keep the page light: only what the chart shows, rounded
    df = df[["scenario", "depth_pct", "months", "route", "volume_mt", "lost_mt", "shortfall_mt", "revenue_at_risk_musd"]].round(
        {"volume_mt": 3, "lost_mt": 3, "shortfall_mt": 3, "revenue_at_risk_musd": 0})
    order = list(SCENARIO_ROUTE_LABELS.values())
    colors = [style.ROUTE_COLORS["aktau_btc"], style.ROUTE_COLORS["aktau_supsa"], style.ROUTE_COLORS["atyrau_samara"],
              style.ROUTE_COLORS["kazakhstan_china"], style.ROUTE_COLORS["aktau_makhachkala"], "#1a1a1a"]
    scenarios = list(dict.fromkeys(df["scenario"]))
    depth = alt.param(name="depth", value=40, bind=alt.binding_range(min=0, max=100, step=10, name="Outage depth, % of CPC's Kazakh flow: "))
    months = alt.param(name="months", value=3, bind=alt.binding_range(min=1, max=12, step=1, name="Outage length, months: "))
    scen = alt.param(name="scenario", value=scenarios[0], bind=alt.binding_radio(options=scenarios, name="Capacity: "))
    base = alt.Chart(df).transform_filter(
        (alt.datum.depth_pct == depth) & (alt.datum.months == months) & (alt.datum.scenario == scen))
    bars = base.mark_bar().encode(
        y=alt.Y("route:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("volume_mt:Q", title="Million tonnes over the outage", scale=alt.Scale(zero=True, nice=True), axis=alt.Axis(tickCount=6)),
        color=alt.Color("route:N", scale=alt.Scale(domain=order, range=colors), legend=None),
        tooltip=[alt.Tooltip("route:N", title="Route"), alt.Tooltip("volume_mt:Q", title="Mt", format=".2f"),
                 alt.Tooltip("lost_mt:Q", title="CPC volume lost (Mt)", format=".2f"),
                 alt.Tooltip("revenue_at_risk_musd:Q", title="Revenue at risk (million US$)", format=",.0f")],
    ).add_params(depth, months, scen).properties(width=WIDTH - 260, height=210)
    summary = base.transform_filter(alt.datum.route == SCENARIO_ROUTE_LABELS["shortfall"]).mark_text(
        align="left", baseline="middle", fontSize=13, fontWeight=600).encode(
        x=alt.value(0), y=alt.value(12), text=alt.Text("label:N")).transform_calculate(
        label="'Lost: ' + format(datum.lost_mt, '.1f') + ' Mt · not rerouted: ' + format(datum.shortfall_mt, '.1f') + ' Mt · at risk: $' + format(datum.revenue_at_risk_musd, ',.0f') + 'm'"
    ).properties(width=WIDTH - 260, height=24)
    return alt.vconcat(bars, summary, spacing=6).properties(
        title=alt.Title("Rerouting a CPC outage", subtitle=["Move the sliders: each position is a precomputed run of the route-capacity model.",
                                                            "Revenue at risk: the shortfall at 7.5 bbl/t and 2025's Brent price (an estimate)."]),
        description="Interactive bar chart: for the outage depth and length chosen with two sliders, the volume each alternative route could take and the shortfall, in million tonnes, with the revenue at risk.")
