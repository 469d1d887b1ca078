"""The book's one visual style: colours, labels and asset locations shared by maps and charts."""

from __future__ import annotations

import os

# Export routes. Warm colours cross Russia; cool colours avoid it; grey is mixed or unknown.
ROUTE_COLORS = {
    "cpc": "#b2182b",
    "atyrau_samara": "#e08214",
    "druzhba_germany": "#fdb863",
    "aktau_sea": "#4393c3",
    "aktau_makhachkala": "#d6604d",
    "aktau_btc": "#2166ac",
    "aktau_supsa": "#5aae61",
    "aktau_batumi": "#1b7837",
    "kazakhstan_china": "#762a83",
    "rail": "#878787",
    "not_itemised": "#d9d9d9",
}

RUSSIA_COLORS = {"yes": "#b2182b", "partly": "#878787", "no": "#2166ac"}

SITE_STYLE = {
    # site_type: (fill colour, radius in px)
    "oil_field": ("#1a1a1a", 7),
    "terminal": ("#2166ac", 7),
    "port": ("#4393c3", 6),
    "pump_station": ("#b2182b", 5),
    "border_point": ("#762a83", 5),
    "refinery": ("#8c510a", 6),
    "city": ("#636363", 4),
}

# CPC disruption types
EVENT_COLORS = {"weather": "#4393c3", "legal_regulatory": "#762a83", "military": "#b2182b", "technical": "#e08214", "other": "#878787"}
EVENT_LABELS = {"weather": "Weather", "legal_regulatory": "Legal or regulatory", "military": "Military",
                "technical": "Technical", "other": "Other"}

MODE_DASH = {"pipeline": None, "tanker": "8 7", "rail": "2 7"}

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

CDN = {
    "leaflet_js": "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js",
    "leaflet_css": "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css",
    "vega": "https://cdn.jsdelivr.net/npm/vega@6.4.0/build/vega.min.js",
    "vega-lite": "https://cdn.jsdelivr.net/npm/vega-lite@6.5.0/build/vega-lite.min.js",
    "vega-embed": "https://cdn.jsdelivr.net/npm/vega-embed@7.3.0/build/vega-embed.min.js",
}
LOCAL = {
    "leaflet_js": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "vega": "vega/vega.min.js",
    "vega-lite": "vega-lite/vega-lite.min.js",
    "vega-embed": "vega-embed/vega-embed.min.js",
    "basemap": "basemap.geojson",
}


def asset_mode() -> str:
    """'local' when building the book (served from _static/vendor), else 'cdn' (Jupyter, Colab)."""
    return "local" if os.environ.get("OILROUTES_ASSETS", "cdn") == "local" else "cdn"


def asset_url(name: str) -> str | None:
    """URL of a JavaScript/CSS asset or of the basemap, for the current asset mode.

    Book pages live in ``chapters/``, so local assets are one level up in ``_static``.
    The basemap exists only locally (online, the web tiles do its job).
    """
    if asset_mode() == "local":
        return "../_static/vendor/" + LOCAL[name]
    return CDN.get(name)

#: The ink of text and of reference marks (official figures) in charts.
INK = "#222222"
