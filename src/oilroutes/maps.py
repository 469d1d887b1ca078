"""Folium maps in the book's one style.

Lines between sites are schematic: they join sourced points (terminals, pump
stations, towns) in order and do not trace the real pipe or shipping lane.
Every line and marker carries a tooltip with its figures and its source.

Each map opens on the extent its caption discusses, names the key places with
permanent labels, and keeps its legend (collapsible, closed on a phone) below the
map rather than over it. Tooltips are escaped text, bound with JSON, and kept
inside the map's frame. Markers that share a site are fanned out a fixed number
of pixels around it, with spokes to the site, at every zoom.
"""

from __future__ import annotations

import html
import json
import math
from functools import lru_cache
from importlib import resources

import branca
import folium
import geopandas as gpd
import pandas as pd
from jinja2 import Template

from . import ids, style
from .basemap import add_basemap
from .bib import source_label, source_short
from .assumptions import ratio as _ratio
from .render import script_json
from .units import mt_per_year_to_kbd

ids.install()  # the same element ids in every build, so pages are byte-identical


def reuters_ratio():
    """Reuters' ratio for Kazakh crude, used to show pipeline capacities in barrels a day."""
    return _ratio("reuters")


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
        {{ this._parent.get_name() }}.bindPopup({{ this.html_json }}, {maxWidth: 300});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Popup"
        self.html_json = script_json(html, ascii=False)


class _Tooltip(branca.element.MacroElement):
    """A hover tooltip bound with its HTML as JSON.

    folium's own Tooltip pastes its text into a JavaScript template literal, where a
    backtick or ``${...}`` in the data would run as code; JSON cannot.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.html_json }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, sticky: bool = True):
        super().__init__()
        self._name = "Tooltip"
        self.html_json = script_json(html, ascii=False)
        self.options = {"sticky": sticky, "direction": "auto", "className": "oilroutes-tooltip"}


class _Frame(branca.element.MacroElement):
    """The map's page: the map above its legend, tooltips kept inside the frame, labels with a halo."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          html, body { height: 100%; margin: 0; }
          body { display: flex; flex-direction: column; font-family: {{ this.font }}; }
          .folium-map { flex: 1 1 auto; height: auto !important; min-height: 0; }
          .leaflet-tooltip.oilroutes-tooltip { white-space: normal; width: max-content; max-width: min(340px, calc(100vw - 28px)); box-sizing: border-box; }
          .leaflet-tooltip.oilroutes-tooltip table { border-collapse: collapse; }
          @media (max-width: 480px) { .leaflet-tooltip.oilroutes-tooltip div { font-size: 11px !important; } }
          .oilroutes-label { pointer-events: none; }
          .oilroutes-label span { position: absolute; white-space: nowrap; font: 600 12px/1.1 {{ this.font }};
            color: {{ this.colors.label }}; text-shadow: 0 0 3px {{ this.colors.label_halo }}, 0 0 3px {{ this.colors.label_halo }},
            0 0 2px {{ this.colors.label_halo }}; }
          .oilroutes-legend { flex: 0 0 auto; background: {{ this.colors.legend_bg }}; padding: 4px 8px;
            font: 11px/1.4 {{ this.font }}; border-top: 1px solid {{ this.colors.border }}; max-height: 45%; overflow-y: auto; }
          .oilroutes-legend summary { cursor: pointer; font-weight: 600; }
          .oilroutes-legend .item { display: inline-block; margin-right: 12px; white-space: nowrap; }
          .oilroutes-legend svg { vertical-align: middle; }
          .oilroutes-legend .note { color: {{ this.colors.legend_note }}; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }};
          // Keep every tooltip inside the map's frame: shift it back in after Leaflet places it.
          if (!L.Tooltip.prototype.__oilroutesClamped) {
            var place = L.Tooltip.prototype._setPosition;
            L.Tooltip.prototype._setPosition = function(pos) {
              place.call(this, pos);
              var el = this._container, m = this._map;
              if (!el || !m) { return; }
              var box = m.getContainer().getBoundingClientRect(), r = el.getBoundingClientRect(), pad = 4;
              var dx = 0, dy = 0;
              if (r.right > box.right - pad) { dx = box.right - pad - r.right; }
              if (r.left + dx < box.left + pad) { dx = box.left + pad - r.left; }
              if (r.bottom > box.bottom - pad) { dy = box.bottom - pad - r.bottom; }
              if (r.top + dy < box.top + pad) { dy = box.top + pad - r.top; }
              if (dx || dy) { L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add(L.point(dx, dy))); }
            };
            L.Tooltip.prototype.__oilroutesClamped = true;
          }
          var legend = document.querySelector(".oilroutes-legend");
          if (legend) {
            if (window.innerWidth < {{ this.narrow }}) { legend.open = false; }
            legend.addEventListener("toggle", function() { map.invalidateSize(); });
          }
          setTimeout(function() { map.invalidateSize(); }, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, narrow: int = 600):
        super().__init__()
        self._name = "Frame"
        self.font, self.colors, self.narrow = style.FONT, style.MAP, narrow


class _Legend(branca.element.MacroElement):
    """The legend below the map: lines (colour and dash) and markers (colour and size), collapsible."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <details open class="oilroutes-legend">
          <summary>{{ this.title|e }} <span class="note">(legend)</span></summary>
          {% for label, color, dash, kind in this.items %}<span class="item">
            {%- if kind == 'line' -%}
            <svg width="26" height="10" aria-hidden="true"><line x1="0" y1="5" x2="26" y2="5" stroke="{{ color }}" stroke-width="3"
              {% if dash %}stroke-dasharray="{{ dash }}"{% endif %}/></svg>
            {%- else -%}
            <svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="{{ dash }}" fill="{{ color }}"
              {% if kind == 'hollow' %}fill-opacity="0" stroke="{{ color }}" stroke-width="2"{% else %}stroke="white" stroke-width="1.5"{% endif %}/></svg>
            {%- endif %} {{ label|e }}</span>
          {% endfor %}
          <div class="note">{{ this.note|e }}</div>
        </details>
        {% endmacro %}
        """
    )

    def __init__(self, title, items, note, side=None):
        super().__init__()
        self._name = "Legend"
        # an item is (label, colour, dash) for a line, or (label, colour, radius, "circle" | "hollow") for a marker
        self.title, self.note = title, note
        self.items = [tuple(i) + ("line",) if len(i) == 3 else tuple(i) for i in items]


class _Spread(branca.element.MacroElement):
    """Fan the markers that share a site out around it, a fixed number of pixels away at every zoom, with spokes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var map = {{ this._parent.get_name() }};
          var groups = {{ this.groups|tojson }};
          var spokes = L.layerGroup().addTo(map);
          function place() {
            spokes.clearLayers();
            groups.forEach(function(g) {
              var c = map.latLngToLayerPoint(g.center), n = g.markers.length, r = 14 + 2.6 * n;
              g.markers.forEach(function(name, k) {
                var a = -Math.PI / 2 + 2 * Math.PI * k / n;
                var p = map.layerPointToLatLng(c.add(L.point(r * Math.cos(a), r * Math.sin(a))));
                window[name].setLatLng(p);
                L.polyline([g.center, p], {color: {{ this.color|tojson }}, weight: 1, opacity: 0.7, interactive: false}).addTo(spokes);
              });
            });
          }
          map.on("zoomend viewreset", place);
          map.whenReady(place);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, groups: list[dict]):
        super().__init__()
        self._name = "Spread"
        self.groups = groups
        self.color = style.MAP["spoke"]


# The places every map names when they are on it (site id: label, side of the marker).
KEY_PLACES = {
    "tengiz": ("Tengiz", "right"),
    "atyrau": ("Atyrau", "above"),
    "aktau": ("Aktau", "left"),
    "kuryk": ("Kuryk", "right"),
    "sangachal": ("Baku/Sangachal", "left"),
    "cpc_terminal": ("Novorossiysk", "above"),
    "samara": ("Samara", "right"),
    "ceyhan": ("Ceyhan", "right"),
    "supsa": ("Supsa", "left"),
    "alashankou": ("Alashankou", "left"),
}


def add_labels(m: folium.Map, sites: gpd.GeoDataFrame, clearance: dict[str, int] | None = None) -> None:
    """Permanent, non-interactive labels for the key places among ``sites``.

    ``clearance`` gives, for some sites, the distance in pixels between the marker
    and a label above it (larger where markers are fanned out around the site); 8 otherwise.
    """
    layer = folium.FeatureGroup(name="Place names", show=True)
    for site in sites[sites["site_id"].isin(list(KEY_PLACES))].itertuples():
        label, side = KEY_PLACES[site.site_id]
        pos = {
            "left": "right:8px;top:-7px",
            "right": "left:8px;top:-7px",
            "above": f"bottom:{(clearance or {}).get(site.site_id, 8)}px;left:0;transform:translateX(-50%)",
        }[side]
        folium.Marker(
            (site.geometry.y, site.geometry.x),
            interactive=False,
            keyboard=False,
            icon=folium.DivIcon(
                html=f'<span style="{pos}">{html.escape(label)}</span>',
                icon_size=(0, 0),
                class_name=f"oilroutes-label label-{site.site_id}",
            ),
        ).add_to(layer)
    layer.add_to(m)


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
    # fractional zoom, so a phone-width map can open on the same extent instead of a whole zoom level out
    m = BookMap(
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_start=4,
        location=[45, 50],
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    m.alt_text = alt_text
    m.default_js = [("leaflet", style.asset_url("leaflet_js"))]
    m.default_css = [("leaflet_css", style.asset_url("leaflet_css"))]
    fig.add_child(m)
    add_basemap(m)  # Natural Earth, served by the book: no web tiles, no request elsewhere
    _Frame().add_to(m)
    if bounds is not None:
        # keep the subject clear of the zoom buttons (top left) and the layer switch (top right)
        m.fit_bounds(bounds, padding_top_left=(36, 24), padding_bottom_right=(36, 8))
    return m


def leg_tooltip(leg: pd.Series) -> str:
    cap = leg.get("capacity")
    unit = leg.get("capacity_unit")
    if cap is not None and not pd.isna(cap):
        capacity = f"{cap:,.1f} {unit}"
        if unit == "Mt/yr":
            r = reuters_ratio()
            capacity += f" (≈{mt_per_year_to_kbd(cap, r.mid):,.0f} kb/d at {r.label()})"
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
        layer = folium.FeatureGroup(name=f"Route: {html.escape(str(route_name))}", show=True)
        for _, leg in group.iterrows():
            color = (style.RUSSIA_COLORS if color_by == "crosses_russia" else style.ROUTE_COLORS).get(
                leg[color_by], style.MAP["generic"]
            )
            coords = [(lat, lon) for lon, lat in leg.geometry.coords]
            folium.PolyLine(
                coords,
                color=color,
                weight=weight,
                opacity=0.9,
                dash_array=style.MODE_DASH.get(leg["mode"]),
                class_name=f"oilroutes-leg leg-{_ident(leg['leg_id'])}",
            ).add_child(_Tooltip(leg_tooltip(leg))).add_to(layer)
        layer.add_to(m)


def _ident(value) -> str:
    """A value made safe for a CSS class name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(value))


def add_sites(m: folium.Map, sites: gpd.GeoDataFrame, types=None) -> None:
    """Mark sites as circles coloured by type, each with its own tooltip."""
    chosen = sites if types is None else sites[sites["site_type"].isin(types)]
    layer = folium.FeatureGroup(name="Fields, terminals, ports, pump stations", show=True)
    for _, site in chosen.iterrows():
        fill, radius = style.SITE_STYLE.get(site["site_type"], (style.MAP["generic"], 5))
        folium.CircleMarker(
            (site.geometry.y, site.geometry.x),
            radius=radius,
            color=style.WHITE,
            weight=1.5,
            fill=True,
            fill_color=fill,
            fill_opacity=0.95,
            class_name=f"oilroutes-site site-{_ident(site['site_id'])}",
        ).add_child(_Tooltip(site_tooltip(site), sticky=False)).add_to(layer)
    layer.add_to(m)


def site_legend_items(sites: gpd.GeoDataFrame) -> list[tuple]:
    """One legend entry per kind of site on the map, drawn as the map draws it."""
    present = set(sites["site_type"])
    return [
        (kind.replace("_", " "), fill, radius, "circle")
        for kind, (fill, radius) in style.SITE_STYLE.items()
        if kind in present
    ]


# What the introduction's caption discusses: the Caspian basin and the routes out of it
# (to Novorossiysk, Samara, Ceyhan, Supsa and the Chinese border), not the whole continent.
CASPIAN_EXTENT = [[36.3, 33.5], [55.0, 84.0]]


def route_map(
    legs: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    height: int = 520,
    title: str = "Export routes",
    color_by: str = "route_id",
    legend_side: str = "left",
    bounds: list | None = None,
) -> folium.Map:
    """The overview map: every leg of every route, with the sites they join, opening on the Caspian basin."""
    bounds = bounds or CASPIAN_EXTENT
    alt = (
        f"Map of {legs['route_id'].nunique()} export routes ({len(legs)} schematic legs: "
        + ", ".join(legs["name"])
        + f") and {len(sites)} sites. The same legs are listed in the table that follows."
    )
    m = base_map(bounds, height=height, alt_text=alt)
    add_legs(m, legs, color_by=color_by)
    add_sites(m, sites)
    add_labels(m, sites)
    if color_by == "crosses_russia":
        items = [(f"Crosses Russia: {k}", c, None) for k, c in style.RUSSIA_COLORS.items()]
    else:
        seen = legs.drop_duplicates("route_id")
        items = [
            (r.route_name.split(" (")[0], style.ROUTE_COLORS.get(r.route_id, style.MAP["generic"]), None)
            for r in seen.itertuples()
        ]
    items += [
        ("pipeline", style.MAP["generic"], None),
        ("tanker (sea)", style.MAP["generic"], "8 7"),
        ("rail", style.MAP["generic"], "2 7"),
    ]
    items += site_legend_items(sites)
    _Legend(title, items, ATTRIBUTION_NOTE).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def _bounds(*frames, pad: float = 1.0) -> list[list[float]]:
    xs, ys = [], []
    for f in frames:
        minx, miny, maxx, maxy = f.total_bounds
        xs += [minx, maxx]
        ys += [miny, maxy]
    return [[min(ys) - pad, min(xs) - pad], [max(ys) + pad, max(xs) + pad]]


@lru_cache(maxsize=1)
def country_points() -> dict[str, list[float]]:
    """A point inside each country, name -> [lat, lon], shipped with the package (see the file for its source)."""
    text = resources.files("oilroutes").joinpath("_assets/country_points.json").read_text(encoding="utf-8")
    return json.loads(text)["points"]


def buyers_map(
    buyers: pd.DataFrame, sites: gpd.GeoDataFrame, legs: gpd.GeoDataFrame | None = None, *, height: int = 520
) -> folium.Map:
    """Where Kazakh crude goes: one circle per buyer country with every sourced figure on hover.

    Circle area follows the largest published volume for the country; a country the
    Energy Ministry names without a volume gets a small hollow circle. Export
    terminals are shown for orientation; routes are drawn faintly underneath.
    """
    points = country_points()
    missing = sorted(set(buyers["ne_name"]) - set(points))
    if missing:
        raise KeyError(f"buyers.csv: no Natural Earth country named {missing}")
    alt = (
        "Map of the buyers of Kazakh crude: "
        + ", ".join(buyers["country"].unique())
        + ", each with its published volumes; the export terminals and routes are shown for orientation."
    )
    m = base_map([[-2, 0], [62, 130]], height=height, alt_text=alt)
    if legs is not None:
        faint = folium.FeatureGroup(name="Export routes (schematic)")
        for _, leg in legs.iterrows():
            folium.PolyLine(
                [(lat, lon) for lon, lat in leg.geometry.coords],
                color=style.MAP["faint_route"],
                weight=2,
                opacity=0.5,
                dash_array=style.MODE_DASH.get(leg["mode"]),
                interactive=False,
            ).add_to(faint)
        faint.add_to(m)
    layer = folium.FeatureGroup(name="Buyers")
    for country, rows in buyers.groupby("country", sort=False):
        lat, lon = points[rows["ne_name"].iloc[0]]
        volume = rows["value"].max()
        eu = bool(rows["eu_member"].iloc[0])
        color = style.MAP["eu_buyer"] if eu else style.MAP["non_eu_buyer"]
        lines = [
            (
                f"{r.period}: {_fmt(r.value, 'Mt', 2) if not pd.isna(r.value) else 'named, no volume'}",
                f"{r.measure}. Source: {source_label(r.source)}"
                + (f". {r.note}" if isinstance(r.note, str) and r.note else ""),
            )
            for r in rows.itertuples()
        ]
        tip = _table(lines, f"{country} ({'EU' if eu else 'outside the EU'})")
        folium.CircleMarker(
            (lat, lon),
            radius=(4 + 3.2 * math.sqrt(volume)) if not pd.isna(volume) else 5,
            color=color,
            weight=2,
            fill=not pd.isna(volume),
            fill_color=color,
            fill_opacity=0.55,
            class_name=f"oilroutes-site buyer-{_ident(rows['ne_name'].iloc[0].lower().replace(' ', '-'))}",
        ).add_child(_Tooltip(tip)).add_to(layer)
    layer.add_to(m)
    terminals = sites[
        sites["site_id"].isin(["cpc_terminal", "ceyhan", "ust_luga", "schwedt", "alashankou", "supsa", "batumi"])
    ]
    add_sites(m, terminals)
    add_labels(m, terminals)
    items = [
        ("EU buyer", style.MAP["eu_buyer"], 7, "circle"),
        ("buyer outside the EU", style.MAP["non_eu_buyer"], 7, "circle"),
        ("named, no volume", style.MAP["non_eu_buyer"], 5, "hollow"),
        ("route (schematic)", style.MAP["faint_route"], None),
    ]
    items += site_legend_items(terminals)
    _Legend(
        "Buyers of Kazakh crude",
        items,
        "Circle area: largest published volume. Hollow: named by the ministry, no volume.",
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def cpc_map(
    legs: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, events: pd.DataFrame, moorings: pd.DataFrame, *, height: int = 520
) -> folium.Map:
    """The CPC system with each disruption placed at the asset it hit.

    Events at the same site are fanned out around it a fixed distance on screen,
    with spokes to the site, so each can be hovered at any zoom; the fan is
    presentation only. The terminal's tooltip lists the three moorings.
    """
    cpc_legs = legs[legs["route_id"] == "cpc"]
    ids = set(events["site_id"]) | {w for leg in cpc_legs["waypoints"] for w in leg.split(">")}
    cpc_sites = sites[sites["site_id"].isin(ids)].copy()
    alt = (
        f"Map of the CPC pipeline from Tengiz to the marine terminal near Novorossiysk with {len(events)} "
        "disruptions placed at the assets they hit; the events are listed in the table that follows."
    )
    m = base_map(_bounds(cpc_sites, pad=1.5), height=height, alt_text=alt)
    add_legs(m, cpc_legs, weight=5)
    add_sites(m, cpc_sites)
    fanned = events.groupby("site_id").size()
    add_labels(m, cpc_sites, clearance={k: 56 for k, n in fanned.items() if n > 1})
    term = cpc_sites[cpc_sites["site_id"] == "cpc_terminal"]
    if len(term):
        rows = [
            (
                r.spm,
                f"in service since {r.in_service_since}"
                + (f"; up to {r.capacity_mt_month:g} Mt a month" if not pd.isna(r.capacity_mt_month) else "")
                + (f". {r.note}" if isinstance(r.note, str) and r.note else ""),
            )
            for r in moorings.itertuples()
        ]
        rows.append(("Source", source_label(";".join(sorted(set(";".join(moorings["source"]).split(";")))))))
        t = term.iloc[0]
        folium.Marker(
            (t.geometry.y, t.geometry.x), icon=folium.DivIcon(html="", icon_size=(0, 0)), keyboard=False
        ).add_child(_Tooltip(_table(rows, "The three single point moorings (about 5 km offshore)"))).add_to(m)
    layer = folium.FeatureGroup(name="Disruptions")
    pos = sites.set_index("site_id")
    groups = []
    for site_id, group in events.groupby("site_id", sort=False):
        lat0, lon0 = float(pos.loc[site_id, "lat"]), float(pos.loc[site_id, "lon"])
        names = []
        for ev in group.sort_values("start_date").itertuples():
            end = "no end reported" if pd.isna(ev.end_date) else f"{pd.Timestamp(ev.end_date):%d %b %Y}"
            rows = [
                (
                    "Dates",
                    f"{pd.Timestamp(ev.start_date):%d %b %Y}"
                    + ("" if ev.date_precision == "day" else " (month only)")
                    + f" to {end}",
                ),
                ("Type", ev.event_type.replace("_", " ")),
                ("Asset", ev.asset),
                ("Reported effect", ev.reported_effect),
                ("Sources (see the bibliography)", source_short(ev.source)),
            ]
            html_tip = _table(rows, ev.title)
            marker = folium.CircleMarker(
                (lat0, lon0),
                radius=7,
                color=style.WHITE,
                weight=1.5,
                fill=True,
                fill_color=style.EVENT_COLORS.get(ev.event_type, style.MAP["generic"]),
                fill_opacity=0.95,
                class_name=f"oilroutes-site oilroutes-event event-{_ident(ev.event_id)}",
            )
            marker.add_child(_Tooltip(html_tip)).add_child(_Popup(html_tip)).add_to(layer)
            names.append(marker.get_name())
        if len(names) > 1:
            groups.append({"center": [lat0, lon0], "markers": names})
    layer.add_to(m)
    _Spread(groups).add_to(m)
    items = [(style.EVENT_LABELS[k], c, 6, "circle") for k, c in style.EVENT_COLORS.items()]
    items += [("CPC pipeline", style.ROUTE_COLORS["cpc"], None)] + site_legend_items(cpc_sites)
    _Legend(
        "CPC disruptions by type",
        items,
        "Events at one site are fanned out around it, with spokes to it. " + ATTRIBUTION_NOTE,
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


TRANS_CASPIAN_ROUTES = ("aktau_btc", "aktau_supsa", "aktau_batumi", "aktau_makhachkala", "cpc")


def trans_caspian_map(legs: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *, height: int = 520) -> folium.Map:
    """The Trans-Caspian chain to Ceyhan, Supsa and Batumi, with CPC drawn for comparison."""
    chosen = legs[legs["route_id"].isin(TRANS_CASPIAN_ROUTES)]
    ids = {w for wp in chosen["waypoints"] for w in wp.split(">")} | {"kashagan"}
    chosen_sites = sites[sites["site_id"].isin(ids)]
    return route_map(
        chosen,
        chosen_sites,
        height=height,
        title="Trans-Caspian and CPC",
        bounds=_bounds(chosen, chosen_sites, pad=0.6),
    )
