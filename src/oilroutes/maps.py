"""Folium maps in the book's one style.

Lines between sites are schematic: they join sourced points (terminals, pump
stations, towns) in order and do not trace the real pipe or shipping lane.
Every line and marker carries a tooltip with its figures and its source.
"""

from __future__ import annotations

import html
import math

import branca
import folium
import geopandas as gpd
import pandas as pd
from jinja2 import Template

from . import style
from .basemap import add_basemap
from .bib import source_label
from .units import mt_per_year_to_kbd

ATTRIBUTION_NOTE = "Lines are schematic: they join sourced points in order."


def _fmt(value, unit="", digits=1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not reported"
    return f"{value:,.{digits}f}{(' ' + unit) if unit else ''}"


def _table(rows: list[tuple[str, str]], title: str) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:8px;vertical-align:top'>{html.escape(k)}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    return (
        f"<div style='font-family:{style.FONT};font-size:12px;max-width:320px'>"
        f"<b>{html.escape(title)}</b><table>{cells}</table></div>"
    )


class _Popup(branca.element.MacroElement):
    """A click popup bound directly with Leaflet (folium's Popup needs jQuery, which the book does not load)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {maxWidth: 340});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Popup"
        self.html = html


class _Legend(branca.element.MacroElement):
    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <details open class="oilroutes-legend" style="position:absolute;bottom:24px;{{ this.side }}:10px;z-index:9999;background:rgba(255,255,255,.92);
             padding:5px 8px;border-radius:4px;font:11px/1.35 {{ this.font }};box-shadow:0 1px 3px rgba(0,0,0,.3);max-width:210px">
          <summary style="cursor:pointer;font-weight:600">{{ this.title }}</summary>
          {% for label, color, dash in this.items %}
            <svg width="26" height="10"><line x1="0" y1="5" x2="26" y2="5" stroke="{{ color }}" stroke-width="3"
              {% if dash %}stroke-dasharray="{{ dash }}"{% endif %}/></svg> {{ label }}<br>
          {% endfor %}
          <span style="color:#555">{{ this.note }}</span>
        </details>
        {% endmacro %}
        """
    )

    def __init__(self, title, items, note, side="left"):
        super().__init__()
        self._name = "Legend"
        self.title, self.items, self.note, self.font, self.side = title, items, note, style.FONT, side


class BookMap(folium.Map):
    """A folium map that carries a text alternative into the page (the iframe's title and aria-label)."""

    alt_text = "Interactive map"

    def _repr_html_(self, **kwargs):
        out = super()._repr_html_(**kwargs)
        alt = html.escape(self.alt_text, quote=True)
        return out.replace("<iframe ", f'<iframe title="{alt}" aria-label="{alt}" ', 1)


def base_map(bounds=None, height: int = 520, alt_text: str = "Interactive map") -> folium.Map:
    """An empty map in the book's style; JS/CSS served locally when building the book."""
    fig = branca.element.Figure(height=f"{height}px")
    m = BookMap(tiles=None, control_scale=True, prefer_canvas=False, zoom_start=4, location=[45, 50])
    m.alt_text = alt_text
    m.default_js = [("leaflet", style.asset_url("leaflet_js"))]
    m.default_css = [("leaflet_css", style.asset_url("leaflet_css"))]
    fig.add_child(m)
    add_basemap(m)  # Natural Earth, served by the book: no web tiles, no request elsewhere
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def leg_tooltip(leg: pd.Series) -> str:
    cap = leg.get("capacity")
    unit = leg.get("capacity_unit")
    if cap is not None and not pd.isna(cap):
        capacity = f"{cap:,.1f} {unit}"
        if unit == "Mt/yr":
            capacity += f" (≈{mt_per_year_to_kbd(cap):,.0f} kb/d at 7.5 bbl/t)"
    else:
        capacity = "not reported"
    return _table(
        [
            ("Route", leg["route_name"]),
            ("Mode", leg["mode"]),
            ("Capacity", capacity),
            ("Length (reported)", _fmt(leg.get("length_km"), "km", 0)),
            ("Operator", leg["operator"]),
            ("Status", leg["status"]),
            ("Crosses Russia", leg["crosses_russia"]),
            ("Source", source_label(leg["source"])),
        ],
        leg["name"],
    )


def site_tooltip(site: pd.Series) -> str:
    rows = [
        ("Type", site["site_type"].replace("_", " ")),
        ("Country", site["country"]),
        ("Position", site["precision"]),
    ]
    if isinstance(site.get("note"), str) and site["note"]:
        rows.append(("Note", site["note"]))
    rows.append(("Source", source_label(site["source"])))
    return _table(rows, site["name"])


def add_legs(m: folium.Map, legs: gpd.GeoDataFrame, color_by: str = "route_id", weight: float = 4) -> None:
    """Draw each leg as a line (dashed for tanker, dotted for rail), grouped by export route."""
    for route_name, group in legs.groupby("route_name", sort=False):
        layer = folium.FeatureGroup(name=f"Route: {route_name}", show=True)
        for _, leg in group.iterrows():
            color = (style.RUSSIA_COLORS if color_by == "crosses_russia" else style.ROUTE_COLORS).get(leg[color_by], "#444")
            coords = [(lat, lon) for lon, lat in leg.geometry.coords]
            folium.PolyLine(
                coords,
                color=color,
                weight=weight,
                opacity=0.9,
                dash_array=style.MODE_DASH.get(leg["mode"]),
                tooltip=folium.Tooltip(leg_tooltip(leg), sticky=True),
                class_name=f"oilroutes-leg leg-{leg['leg_id']}",
            ).add_to(layer)
        layer.add_to(m)


def add_sites(m: folium.Map, sites: gpd.GeoDataFrame, types=None) -> None:
    """Mark sites as circles coloured by type, each with its own tooltip."""
    chosen = sites if types is None else sites[sites["site_type"].isin(types)]
    layer = folium.FeatureGroup(name="Fields, terminals, ports, pump stations", show=True)
    for _, site in chosen.iterrows():
        fill, radius = style.SITE_STYLE.get(site["site_type"], ("#444", 5))
        folium.CircleMarker(
            (site.geometry.y, site.geometry.x),
            radius=radius,
            color="white",
            weight=1.5,
            fill=True,
            fill_color=fill,
            fill_opacity=0.95,
            tooltip=folium.Tooltip(site_tooltip(site)),
            class_name=f"oilroutes-site site-{site['site_id']}",
        ).add_to(layer)
    layer.add_to(m)


def route_map(legs: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *, height: int = 520,
              title: str = "Export routes", color_by: str = "route_id", legend_side: str = "left") -> folium.Map:
    """The overview map: every leg of every route, with the sites they join."""
    bounds = _bounds(legs, sites)
    alt = (f"Map of {legs['route_id'].nunique()} export routes ({len(legs)} schematic legs: "
           + ", ".join(legs["name"]) + f") and {len(sites)} sites. The same legs are listed in the table that follows.")
    m = base_map(bounds, height=height, alt_text=alt)
    add_legs(m, legs, color_by=color_by)
    add_sites(m, sites)
    if color_by == "crosses_russia":
        items = [(f"Crosses Russia: {k}", c, None) for k, c in style.RUSSIA_COLORS.items()]
    else:
        seen = legs.drop_duplicates("route_id")
        items = [(r.route_name.split(" (")[0], style.ROUTE_COLORS.get(r.route_id, "#444"), None) for r in seen.itertuples()]
    items += [("pipeline", "#444", None), ("tanker (sea)", "#444", "8 7"), ("rail", "#444", "2 7")]
    _Legend(title, items, ATTRIBUTION_NOTE, side=legend_side).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def _bounds(*frames) -> list[list[float]]:
    xs, ys = [], []
    for f in frames:
        minx, miny, maxx, maxy = f.total_bounds
        xs += [minx, maxx]
        ys += [miny, maxy]
    pad = 1.0
    return [[min(ys) - pad, min(xs) - pad], [max(ys) + pad, max(xs) + pad]]


def buyers_map(buyers: pd.DataFrame, sites: gpd.GeoDataFrame, legs: gpd.GeoDataFrame | None = None,
               *, height: int = 520) -> folium.Map:
    """Where Kazakh crude goes: one circle per buyer country with every sourced figure on hover.

    Circle area follows the largest published volume for the country; a country the
    Energy Ministry names without a volume gets a small hollow circle. Export
    terminals are shown for orientation; routes are drawn faintly underneath.
    """
    from .vendor import country_points

    points = country_points()
    missing = sorted(set(buyers["ne_name"]) - set(points))
    if missing:
        raise KeyError(f"buyers.csv: no Natural Earth country named {missing}")
    alt = ("Map of the buyers of Kazakh crude: " + ", ".join(buyers["country"].unique())
           + ", each with its published volumes; the export terminals and routes are shown for orientation.")
    m = base_map([[-2, 0], [62, 130]], height=height, alt_text=alt)
    if legs is not None:
        faint = folium.FeatureGroup(name="Export routes (schematic)")
        for _, leg in legs.iterrows():
            folium.PolyLine([(lat, lon) for lon, lat in leg.geometry.coords], color="#888", weight=2, opacity=0.5,
                            dash_array=style.MODE_DASH.get(leg["mode"]), interactive=False).add_to(faint)
        faint.add_to(m)
    layer = folium.FeatureGroup(name="Buyers")
    for country, rows in buyers.groupby("country", sort=False):
        lat, lon = points[rows["ne_name"].iloc[0]]
        volume = rows["value"].max()
        eu = bool(rows["eu_member"].iloc[0])
        color = "#2166ac" if eu else "#e08214"
        lines = [(f"{r.period}: {_fmt(r.value, 'Mt', 2) if not pd.isna(r.value) else 'named, no volume'}",
                  f"{r.measure}. Source: {source_label(r.source)}" + (f". {r.note}" if isinstance(r.note, str) and r.note else ""))
                 for r in rows.itertuples()]
        tip = _table(lines, f"{country} ({'EU' if eu else 'outside the EU'})")
        folium.CircleMarker(
            (lat, lon), radius=(4 + 3.2 * math.sqrt(volume)) if not pd.isna(volume) else 5,
            color=color, weight=2, fill=not pd.isna(volume), fill_color=color, fill_opacity=0.55,
            tooltip=folium.Tooltip(tip, sticky=True),
            class_name=f"oilroutes-site buyer-{rows['ne_name'].iloc[0].lower().replace(' ', '-')}",
        ).add_to(layer)
    layer.add_to(m)
    terminals = sites[sites["site_id"].isin(["cpc_terminal", "ceyhan", "ust_luga", "schwedt", "alashankou", "supsa", "batumi"])]
    add_sites(m, terminals)
    items = [("EU buyer", "#2166ac", None), ("buyer outside the EU", "#e08214", None), ("route (schematic)", "#888", None)]
    _Legend("Buyers of Kazakh crude", items, "Circle area: largest published volume. Hollow: named by the ministry, no volume.").add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def cpc_map(legs: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, events: pd.DataFrame, moorings: pd.DataFrame,
            *, height: int = 520) -> folium.Map:
    """The CPC system with each disruption placed at the asset it hit.

    Events at the same site are spread on a small ring around it so each can be
    hovered; the ring is presentation only. The terminal's tooltip lists the three moorings.
    """
    cpc_legs = legs[legs["route_id"] == "cpc"]
    ids = set(events["site_id"]) | {w for leg in cpc_legs["waypoints"] for w in leg.split(">")}
    cpc_sites = sites[sites["site_id"].isin(ids)].copy()
    alt = (f"Map of the CPC pipeline from Tengiz to the marine terminal near Novorossiysk with {len(events)} "
           "disruptions placed at the assets they hit; the events are listed in the table that follows.")
    m = base_map([[42.5, 36.0], [48.5, 55.0]], height=height, alt_text=alt)
    add_legs(m, cpc_legs, weight=5)
    add_sites(m, cpc_sites)
    term = cpc_sites[cpc_sites["site_id"] == "cpc_terminal"]
    if len(term):
        rows = [(r.spm, f"in service since {r.in_service_since}"
                 + (f"; up to {r.capacity_mt_month:g} Mt a month" if not pd.isna(r.capacity_mt_month) else "")
                 + (f". {r.note}" if isinstance(r.note, str) and r.note else "")) for r in moorings.itertuples()]
        rows.append(("Source", source_label(";".join(sorted(set(";".join(moorings["source"]).split(";")))))))
        t = term.iloc[0]
        folium.Marker((t.geometry.y, t.geometry.x), icon=folium.DivIcon(html="", icon_size=(0, 0)), keyboard=False,
                      tooltip=folium.Tooltip(_table(rows, "The three single point moorings (about 5 km offshore)"))).add_to(m)
    layer = folium.FeatureGroup(name="Disruptions")
    pos = sites.set_index("site_id")
    for site_id, group in events.groupby("site_id", sort=False):
        lat0, lon0 = pos.loc[site_id, "lat"], pos.loc[site_id, "lon"]
        n = len(group)
        for k, ev in enumerate(group.sort_values("start_date").itertuples()):
            angle = 2 * math.pi * k / max(n, 1)
            r = 0.0 if n == 1 else 0.45
            lat, lon = lat0 + r * math.sin(angle), lon0 + r * math.cos(angle) / math.cos(math.radians(lat0))
            end = "no end reported" if pd.isna(ev.end_date) else f"{pd.Timestamp(ev.end_date):%d %b %Y}"
            rows = [("Dates", f"{pd.Timestamp(ev.start_date):%d %b %Y}" + ("" if ev.date_precision == "day" else " (month only)") + f" to {end}"),
                    ("Type", ev.event_type.replace("_", " ")), ("Asset", ev.asset), ("What happened", ev.what_happened),
                    ("Reported effect", ev.reported_effect), ("Source", source_label(ev.source))]
            html_tip = _table(rows, ev.title)
            folium.CircleMarker((lat, lon), radius=7, color="white", weight=1.5, fill=True,
                                fill_color=style.EVENT_COLORS.get(ev.event_type, "#444"), fill_opacity=0.95,
                                tooltip=folium.Tooltip(html_tip, sticky=True),
                                class_name=f"oilroutes-site oilroutes-event event-{ev.event_id}").add_child(_Popup(html_tip)).add_to(layer)
    layer.add_to(m)
    items = [(style.EVENT_LABELS[k], c, None) for k, c in style.EVENT_COLORS.items()]
    _Legend("CPC disruptions by type", items, "Events at one asset are spread around it. " + ATTRIBUTION_NOTE,
            side="right").add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


TRANS_CASPIAN_ROUTES = ("aktau_btc", "aktau_supsa", "aktau_batumi", "aktau_makhachkala", "cpc")


def trans_caspian_map(legs: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *, height: int = 520) -> folium.Map:
    """The Trans-Caspian chain to Ceyhan, Supsa and Batumi, with CPC drawn for comparison."""
    chosen = legs[legs["route_id"].isin(TRANS_CASPIAN_ROUTES)]
    ids = {w for wp in chosen["waypoints"] for w in wp.split(">")} | {"kashagan"}
    return route_map(chosen, sites[sites["site_id"].isin(ids)], height=height, title="Trans-Caspian and CPC",
                     legend_side="right")
