"""The book's one visual style: colours, labels and asset locations shared by maps and charts."""

from __future__ import annotations

import os

# Export routes. Warm colours cross Russia; cool colours avoid it; grey is mixed or unknown.
ROUTE_COLORS = {
    "cpc": "#b2182b",
    "atyrau_samara": "#d27a13",
    "druzhba_germany": "#fdb863",
    "aktau_sea": "#4393c3",
    "aktau_makhachkala": "#d6604d",
    "aktau_btc": "#2166ac",
    "aktau_supsa": "#4fa055",
    "aktau_batumi": "#1b7837",
    "kazakhstan_china": "#762a83",
    "rail": "#878787",
    "not_itemised": "#d9d9d9",
}

RUSSIA_COLORS = {"yes": "#b2182b", "partly": "#878787", "no": "#2166ac"}

SITE_STYLE = {
    # site_type: (fill colour, radius in px). Pump stations are not in CPC's red: they belong to any pipeline.
    "oil_field": ("#1a1a1a", 7),
    "terminal": ("#2166ac", 7),
    "port": ("#4393c3", 6),
    "pump_station": ("#35978f", 5),
    "border_point": ("#762a83", 5),
    "refinery": ("#8c510a", 6),
    "city": ("#636363", 4),
}

# CPC disruption types: five hues that stay distinct when an assumed end is drawn lighter.
EVENT_COLORS = {
    "weather": "#4393c3",
    "legal_regulatory": "#1b7837",
    "military": "#b2182b",
    "technical": "#d27a13",
    "other": "#878787",
}
EVENT_LABELS = {
    "weather": "Weather",
    "legal_regulatory": "Legal or regulatory",
    "military": "Military",
    "technical": "Technical",
    "other": "Other",
}
POLITICAL_COLOR = "#444444"
# Sanctions and carve-outs: a muted slate, a context band beside the disruptions, not one of their types.
LEGAL_COLOR = "#6a7b8c"

MODE_DASH = {"pipeline": None, "tanker": "8 7", "rail": "2 7"}

# Charts
MEASURE_COLORS = {"Production": "#4d4d4d", "Exports": "#b2182b"}
GROUP_COLORS = {
    "Russian state": "#b2182b",
    "Russian companies": "#d6604d",
    "Russian–Western joint venture": "#f4a582",
    "Kazakh state": "#1b7837",
    "US majors": "#2166ac",
    "Other Western companies": "#92c5de",
}
# white text on each verdict is at least 4.5:1 (WCAG AA): "partly" #b35806 4.87:1, "unverified" #636363 6.0:1
VERDICT_COLORS = {
    "supported": "#1b7837",
    "partly": "#b35806",
    "not supported": "#b2182b",
    "outdated": "#762a83",
    "unverified": "#636363",
}
DEFINITION_COLORS = {"share_of_eu_crude_imports": "#8c510a", "share_of_eu_oil_imports": "#2166ac"}
PLAN_COLORS = {"agreement": "#2166ac", "ambition": "#d27a13", "presidential target": "#b2182b"}
LIGHT_BLUE = "#92c5de"
NEUTRAL = "#878787"  # capacity, totals, things that are not a route
PALE = "#bdbdbd"  # the larger whole behind a highlighted part
FAINT = "#d9d9d9"  # capacity bars
OUTLINE = "#969696"
INK = "#1a1a1a"  # reference marks: capacity lines and milestones (drawn light in dark mode)
SHORTFALL = INK
WHITE = "#ffffff"

# Chart theme (light); render.py switches to DARK when the page is in dark mode.
LIGHT = {
    "ink": "#1a1a1a",
    "text": "#333333",
    "subtle": "#555555",
    "grid": "#e5e5e5",
    "domain": "#888888",
    "background": None,
}
DARK = {
    "ink": "#f0f0f0",
    "text": "#e6e6e6",
    "subtle": "#b8b8b8",
    "grid": "#3a3a3a",
    "domain": "#9a9a9a",
    "background": None,
}

# Colours kept pale on purpose, below 3:1 on white: the whole behind a highlighted part (all shippers behind
# the Kazakh ones), capacity behind use, exports not itemised by route, and the light ends of the
# diverging palettes (a joint venture between Russian and Western groups; a route's minor branch). Their
# values are in each chart's tooltips, its data download and the chapter's tables. Every other mark
# colour stands out from the white page by 3:1 (the light-mode browser test allows only these below).
PALE_BY_DESIGN = {
    PALE,
    FAINT,
    LIGHT_BLUE,
    GROUP_COLORS["Russian–Western joint venture"],
    ROUTE_COLORS["druzhba_germany"],
}

# Contrast. A chart mark must stand out from the page by at least MIN_MARK_CONTRAST (WCAG 1.4.11,
# non-text contrast) and a text by MIN_TEXT_CONTRAST (WCAG 1.4.3). Texts drawn in a palette's colour use
# its text_on_light() variant, darker where the palette colour is too light for text on white.
# In dark mode (the theme's page is DARK_BACKGROUND) each colour that does not stand out is drawn by its
# variant from dark_variant(): a grey mirrored (as dark on white, so light on dark, like the ink), any
# other hue made lighter. render.py swaps them.
DARK_BACKGROUND = "#121212"
MIN_MARK_CONTRAST = 3.0
MIN_TEXT_CONTRAST = 4.5
MARGIN = 0.2  # variants aim a little above the minimum, so that rounding to hex never falls below it


def _rgb(hex_color: str) -> tuple[float, float, float]:
    h = hex_color.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def luminance(hex_color: str) -> float:
    """WCAG relative luminance."""

    def lin(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _shift(hex_color: str, background: str, need: float, step: float) -> str:
    """The colour with its hue and saturation kept and its lightness moved by ``step`` until it stands
    out from ``background`` by ``need`` plus :data:`MARGIN`."""
    import colorsys

    h, lightness, sat = colorsys.rgb_to_hls(*_rgb(hex_color))
    while 0 < lightness < 1 and contrast(_hex(colorsys.hls_to_rgb(h, lightness, sat)), background) < need + MARGIN:
        lightness += step
    return _hex(colorsys.hls_to_rgb(h, min(max(lightness, 0.0), 1.0), sat))


def text_on_light(hex_color: str) -> str:
    """The colour to write text in, in a palette colour, on the light page (darker if it must be)."""
    color = hex_color.lower()
    return color if contrast(color, WHITE) >= MIN_TEXT_CONTRAST else _shift(color, WHITE, MIN_TEXT_CONTRAST, -0.005)


def dark_variant(hex_color: str, need: float = MIN_MARK_CONTRAST) -> str:
    """The colour to draw ``hex_color`` with on the dark page, standing out by ``need`` (itself if it does)."""
    color = hex_color.lower()
    if contrast(color, DARK_BACKGROUND) >= need:
        return color
    r, g, b = _rgb(color)
    if max(r, g, b) - min(r, g, b) < 0.02:  # a grey: as far from the dark page as it was from white
        goal = max(contrast(color, WHITE), need + MARGIN)
        return min((_hex((v / 255,) * 3) for v in range(256)), key=lambda c: abs(contrast(c, DARK_BACKGROUND) - goal))
    return _shift(color, DARK_BACKGROUND, need, 0.005)


def chart_colors() -> set[str]:
    """Every colour the charts draw marks with."""
    palettes = (ROUTE_COLORS, MEASURE_COLORS, GROUP_COLORS, EVENT_COLORS, DEFINITION_COLORS, PLAN_COLORS)
    singles = (POLITICAL_COLOR, LEGAL_COLOR, LIGHT_BLUE, NEUTRAL, PALE, FAINT, OUTLINE, INK, SHORTFALL)
    return {c.lower() for p in palettes for c in p.values()} | {c.lower() for c in singles}


#: Texts in colour: the plans' labels beside their lines, the capacity labels.
PLAN_TEXT_COLORS = {kind: text_on_light(c) for kind, c in PLAN_COLORS.items()}
NEUTRAL_TEXT = text_on_light(NEUTRAL)


def chart_text_colors() -> set[str]:
    """Every colour the charts write text in (besides the theme's own text colours)."""
    return set(PLAN_TEXT_COLORS.values()) | {NEUTRAL_TEXT}


#: light colour -> the colour a mark is drawn in, in dark mode (only those that change; the ink is the theme's)
DARK_SWAPS = {c: v for c in sorted(chart_colors()) if (v := dark_variant(c)) != c} | {INK: DARK["ink"]}
#: the same for text written in colour (render.py applies it to text marks only, before DARK_SWAPS)
DARK_TEXT_SWAPS = {c: v for c in sorted(chart_text_colors()) if (v := dark_variant(c, MIN_TEXT_CONTRAST)) != c}

# Maps
MAP = {
    "sea": "#d4e6f1",  # sea and lakes
    "river": "#a3c6de",  # the sea's hue, darker, so a hairline shows on land
    "land": "#f2efe9",
    "coast": "#8f99a3",
    "border": "#a39e93",
    "label": "#1a1a1a",
    "label_halo": "#ffffff",
    "legend_bg": "#ffffff",
    "legend_note": "#555555",
    "faint_route": "#888888",
    "generic": "#444444",
    "spoke": "#555555",
    "eu_buyer": "#2166ac",
    "non_eu_buyer": "#d27a13",
}

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# JavaScript and CSS: each name is (npm package, file in it). The versions are
# pinned once, in vendor.PACKAGES; the CDN addresses (Jupyter, Colab) and the
# local copies (the built book) are both derived from it.
ASSETS = {
    "leaflet_js": ("leaflet", "dist/leaflet.js"),
    "leaflet_css": ("leaflet", "dist/leaflet.css"),
    "vega": ("vega", "build/vega.min.js"),
    "vega-lite": ("vega-lite", "build/vega-lite.min.js"),
    "vega-embed": ("vega-embed", "build/vega-embed.min.js"),
}


def _versions() -> dict[str, str]:
    from .vendor import PACKAGES

    return {name: version for name, version, *_ in PACKAGES}


CDN = {key: f"https://cdn.jsdelivr.net/npm/{pkg}@{_versions()[pkg]}/{path}" for key, (pkg, path) in ASSETS.items()}
LOCAL = {key: f"{pkg}/{path.rsplit('/', 1)[-1]}" for key, (pkg, path) in ASSETS.items()}


def asset_mode() -> str:
    """'local' when building the book (served from _static/vendor), else 'cdn' (Jupyter, Colab)."""
    return "local" if os.environ.get("OILROUTES_ASSETS", "cdn") == "local" else "cdn"


def asset_url(name: str) -> str | None:
    """URL of a JavaScript/CSS asset, for the current asset mode (the basemap's is ``basemap.url()``).

    Book pages live in ``chapters/``, so local assets are one level up in ``_static``.
    """
    if asset_mode() == "local":
        return "../_static/vendor/" + LOCAL[name]
    return CDN.get(name)


# How a value is known: reported by a source (solid), implied from a stated change (lighter, dashed outline),
# estimated by a calculation (lightest, dotted outline). Used by the charts of yearly series.
STATUS_LABELS = {"reported": "Reported", "implied": "Implied", "estimate": "Estimated"}
STATUS_OPACITY = {"reported": 1.0, "implied": 0.55, "estimate": 0.35}
STATUS_DASH = {"reported": [1, 0], "implied": [5, 3], "estimate": [2, 2]}
