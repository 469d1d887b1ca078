"""How the book's Altair charts reach the page: one theme, and a renderer that fits the text column.

Call :func:`enable` once before showing a chart (each chapter does it in its
import cell). Nothing happens on import.

The renderer embeds each chart with Vega-Embed. In the built book the Vega
libraries come from ``_static/vendor``; in Jupyter or Colab from a CDN. In the
page, a small script:

- sizes every view so the whole chart is exactly as wide as its container
  (never below :data:`MIN_VIEW_WIDTH`; below that the chart scrolls in its own box),
  and re-fits when the column changes width;
- wraps titles and subtitles to the width, and moves legends below the plot in
  one column on narrow screens;
- follows the page's light or dark theme, also when the reader switches it.

Data in a chart spec is escaped for the ``<script>`` it sits in (``</`` is
written ``<\\/``), so no text in the data can end the script early.
"""

from __future__ import annotations

import html
import json

import altair as alt

from . import style

WIDTH = 620  # the design width of a full-width view; the page re-fits it
MIN_VIEW_WIDTH = 140  # px: narrower than this, the chart scrolls inside its box instead
NARROW = 560  # px: below this container width, legends go below in one column
# The label expression of a nominal axis whose values hold line breaks: each is drawn as several lines. On
# a narrow screen such labels may take this share of the width (others 40%), in 10 px type, so that each
# line of a row label stays whole.
MULTILINE = "split(datum.label, '\\n')"
MULTILINE_LABEL_SHARE_PCT = 48


def theme() -> dict:
    light = style.LIGHT
    return {
        "config": {
            "font": style.FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 320},
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "fontWeight": 600,
                "color": light["text"],
                "subtitleColor": light["subtle"],
                "subtitleFontSize": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleColor": light["text"],
                "labelColor": light["text"],
                "gridColor": light["grid"],
                "domainColor": light["domain"],
                "tickColor": light["domain"],
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "columns": 2,
                "labelLimit": 320,
                "labelColor": light["text"],
                "titleColor": light["text"],
            },
            "bar": {"stroke": style.WHITE, "strokeWidth": 0.5},
            "text": {"color": light["text"]},
        }
    }


_LOADER = """
<div id="{div}" class="oilroutes-chart" role="figure" aria-label="{alt}" style="width:100%;max-width:100%;overflow-x:auto"></div>
<script type="text/javascript">
(function() {{
  var spec = {spec};
  var urls = {urls};
  var opts = {opts};
  var el = document.getElementById("{div}");
  function clone(o) {{ return JSON.parse(JSON.stringify(o)); }}
  // every view with its own width: the top level, or the parts of a concatenation
  function views(s, out) {{
    out = out || [];
    if (typeof s.width === "number") {{ out.push(s); return out; }}
    ["vconcat", "hconcat", "concat"].forEach(function(k) {{ (s[k] || []).forEach(function(c) {{ views(c, out); }}); }});
    return out;
  }}
  function wrap(text, chars) {{
    var lines = [];
    [].concat(text).forEach(function(t) {{
      var line = "";
      String(t).split(" ").forEach(function(w) {{
        if (line && (line + " " + w).length > chars) {{ lines.push(line); line = w; }} else {{ line = line ? line + " " + w : w; }}
      }});
      lines.push(line);
    }});
    return lines;
  }}
  function dark() {{ return document.documentElement.dataset.theme === "dark"; }}
  // Tooltips stay on the screen and on top: on a phone they are no wider than it, a long value may run to
  // 14em (vega-tooltip cuts at 7em), they lie above the page's sticky header, and after each move of the
  // pointer the tooltip is pulled back inside the viewport, below the pointer when there is no room above it.
  if (!document.getElementById("oilroutes-tooltip-style")) {{
    var tipStyle = document.createElement("style");
    tipStyle.id = "oilroutes-tooltip-style";
    tipStyle.textContent = "#vg-tooltip-element {{ max-width: calc(100vw - 16px); box-sizing: border-box; z-index: 1100; }} " +
      "#vg-tooltip-element table tr td.value {{ max-height: 14em; }} " +
      "@media (max-width: {narrow}px) {{ #vg-tooltip-element table tr td.value {{ max-width: calc(100vw - 140px); }} }}";
    document.head.appendChild(tipStyle);
  }}
  function fitTip(event) {{
    var y = event && typeof event.clientY === "number" ? event.clientY : null;
    window.requestAnimationFrame(function() {{
      var tip = document.getElementById("vg-tooltip-element");
      if (!tip || !tip.classList.contains("visible")) {{ return; }}
      var r = tip.getBoundingClientRect(), w = window.innerWidth, h = window.innerHeight, top = r.top;
      if (top < 4 && y !== null && y + 12 + r.height <= h - 4) {{ top = y + 12; }}
      tip.style.left = Math.max(4, Math.min(r.left, w - r.width - 4)) + "px";
      tip.style.top = Math.max(4, Math.min(top, h - r.height - 4)) + "px";
    }});
  }}
  function titles(s, chars) {{
    // every chart title (top level and each part), not axis or legend titles
    if (s.title) {{
      if (typeof s.title === "string" || Array.isArray(s.title)) {{ s.title = {{text: s.title}}; }}
      s.title.text = wrap(s.title.text, Math.floor(chars * 0.72));
      if (s.title.subtitle) {{ s.title.subtitle = wrap(s.title.subtitle, chars); }}
    }}
    ["vconcat", "hconcat", "concat", "layer"].forEach(function(k) {{ (s[k] || []).forEach(function(c) {{
      titles(c, typeof c.width === "number" ? Math.max(18, Math.floor((c.width + 40) / 7.0)) : chars); }}); }});
  }}
  var WRAP = "split(trim(replace(datum.label, /(.{{1,22}})(\\\\s+|$)/g, '$1\\\\n')), '\\\\n')";
  function narrow(s, width) {{
    // on a narrow screen, horizontal labels on a category axis are turned so they do not run into each other,
    // and long labels beside the plot take at most 40% of the width (the full text is in the tooltip); labels
    // already broken over lines take up to {label_share}%, a point smaller, so that their lines stay whole
    var x = s.encoding && s.encoding.x, y = s.encoding && s.encoding.y, most = Math.round(0.4 * width);
    if (x && x.axis && x.axis.labelAngle === 0 && x.type !== "temporal" && x.type !== "quantitative") {{ x.axis.labelAngle = -45; }}
    if (y && y.axis && y.axis.labelExpr === {multiline}) {{
      most = Math.round({label_share} / 100 * width);
      y.axis.labelFontSize = Math.min(y.axis.labelFontSize || 12, 10);
    }}
    if (y && y.axis && y.axis.labelLimit > most) {{ y.axis.labelLimit = most; }}
    ["color", "shape", "fill", "stroke", "opacity"].forEach(function(ch) {{
      // long legend labels wrap at about 22 characters
      var e = s.encoding && s.encoding[ch];
      if (e && e.field && e.legend !== null) {{ e.legend = Object.assign({{}}, e.legend, {{labelExpr: WRAP}}); }}
    }});
    ["vconcat", "hconcat", "concat", "layer"].forEach(function(k) {{ (s[k] || []).forEach(function(c) {{ narrow(c, width); }}); }});
  }}
  function prepare(width) {{
    // in dark mode, each colour too dark for the page (the ink among them) is drawn in its dark variant,
    // a text mark's in its text variant (a string that is exactly a colour, never one inside a longer text)
    function recolour(node, table) {{
      return JSON.parse(JSON.stringify(node).replace(/"(#[0-9a-fA-F]{{6}})"/g, function(all, c) {{
        var to = table[c.toLowerCase()]; return to ? '"' + to + '"' : all; }}));
    }}
    var forText = Object.assign({{}}, opts.swaps, opts.textSwaps);
    function darkened(node) {{
      if (!node || typeof node !== "object" || Array.isArray(node)) {{ return recolour(node, opts.swaps); }}
      if (node.mark === "text" || (node.mark && node.mark.type === "text")) {{ return recolour(node, forText); }}
      var out = {{}};
      Object.keys(node).forEach(function(k) {{
        var v = node[k], parts = ["layer", "vconcat", "hconcat", "concat"].indexOf(k) >= 0 && Array.isArray(v);
        out[k] = parts ? v.map(darkened) : k === "spec" ? darkened(v) : recolour(v, opts.swaps);
      }});
      return out;
    }}
    var s = dark() ? darkened(spec) : clone(spec);
    var c = s.config = s.config || {{}}, chars = Math.max(24, Math.floor(width / 7.0));
    titles(s, chars);
    if (width < {narrow}) {{
      c.legend = Object.assign({{}}, c.legend, {{orient: "bottom", columns: 1, labelLimit: Math.max(120, width - 130), direction: "vertical",

                                                layout: {{bottom: {{anchor: "start", direction: "vertical", margin: 6}}}}}});
      narrow(s, width);
    }}
    if (dark()) {{
      var d = opts.dark, paint = {{labelColor: d.text, titleColor: d.text}};
      c.background = "transparent";
      c.axis = Object.assign({{}}, c.axis, paint, {{gridColor: d.grid, domainColor: d.domain, tickColor: d.domain}});
      c.legend = Object.assign({{}}, c.legend, paint);
      c.title = Object.assign({{}}, c.title, {{color: d.text, subtitleColor: d.subtle}});
      c.text = Object.assign({{}}, c.text, {{color: d.text}});
      c.bar = Object.assign({{}}, c.bar, {{stroke: "transparent"}});
      c.mark = Object.assign({{}}, c.mark);
    }}
    return s;
  }}
  var current = null, lastWidth = 0, lastDark = null;
  function draw() {{
    var width = el.clientWidth;
    if (!width || (width === lastWidth && dark() === lastDark)) {{ return; }}
    lastWidth = width; lastDark = dark();
    var s = prepare(width), vs = views(s);
    function embed(pass) {{
      if (current) {{ current.finalize(); }}
      return vegaEmbed(el, s, {{actions: {{export: true, source: false, compiled: false, editor: false}}, renderer: "svg",
                               tooltip: {{theme: dark() ? "dark" : "light"}}}}).then(function(res) {{
        current = res;
        ["pointermove", "pointerdown", "click"].forEach(function(t) {{ res.view.addEventListener(t, fitTip); }});
        var menu = el.querySelector("summary"); if (menu) {{ menu.setAttribute("aria-label", "Save the chart"); }}
        // vega-embed makes the container its wrapper and pads it on the right for the actions button;
        // on a narrow screen the button floats over the title's corner instead of taking a column
        if (width < {narrow}) {{ el.style.paddingRight = "0"; }}
        var cs = getComputedStyle(el), room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        var svg = el.querySelector("svg"), drawn = svg ? svg.getBoundingClientRect().width : room;
        var delta = Math.floor(room - drawn) - 1;
        if (pass < 3 && vs.length && Math.abs(delta) > 3) {{
          vs.forEach(function(v) {{ v.width = Math.max({min_width}, v.width + delta); }});
          titles(s, Math.max(24, Math.floor(width / 7.0)));
          return embed(pass + 1);
        }}
      }});
    }}
    embed(0).catch(function(err) {{ console.error("chart {div}: " + err); }});
  }}
  function start() {{
    draw();
    var timer = null;
    var again = function() {{ clearTimeout(timer); timer = setTimeout(draw, 150); }};
    if (window.ResizeObserver) {{ new ResizeObserver(again).observe(el); }} else {{ window.addEventListener("resize", again); }}
    new MutationObserver(again).observe(document.documentElement, {{attributes: true, attributeFilter: ["data-theme"]}});
  }}
  function load(i) {{
    if (i >= urls.length) {{ if (window.__oilroutesAmd) {{ window.define = window.__oilroutesAmd; }} start(); return; }}
    var s = document.createElement("script");
    s.src = urls[i];
    s.onload = function() {{ load(i + 1); }};
    s.onerror = function() {{ console.error("could not load " + urls[i]); }};
    document.head.appendChild(s);
  }}
  if (window.vegaEmbed) {{ start(); return; }}
  if (window.__oilroutesVegaLoading) {{ window.__oilroutesVegaLoading.push(start); return; }}
  // Vega's UMD bundles register as AMD modules when require.js is on the page; hide it while loading.
  if (typeof window.define === "function" && window.define.amd) {{ window.__oilroutesAmd = window.define; window.define = undefined; }}
  window.__oilroutesVegaLoading = [];
  var first = start;
  start = function() {{ first(); (window.__oilroutesVegaLoading || []).forEach(function(f) {{ f(); }}); window.__oilroutesVegaLoading = null; }};
  load(0);
}})();
</script>
"""


def script_json(value, ascii: bool = True) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``</`` or ``<!--`` can close or confuse it.

    ``ascii`` writes every other character as ``\\uXXXX``, so the script reads the same whatever
    encoding the page is served in.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=ascii)
    return text.replace("<!--", "\\u003c!--").replace("</", "<\\/")


def _renderer(spec: dict, **metadata) -> dict:
    # the id follows the spec, so two builds of the same page are identical
    from . import ids

    div = "vis-" + ids.next_id(10)  # deterministic per chapter run: see ids.py
    urls = [style.asset_url(n) for n in ("vega", "vega-lite", "vega-embed")]
    description = spec.get("description") or "chart"
    out = _LOADER.format(
        div=div,
        spec=script_json(spec),
        urls=script_json(urls),
        opts=script_json(
            {"dark": style.DARK, "light": style.LIGHT, "swaps": style.DARK_SWAPS, "textSwaps": style.DARK_TEXT_SWAPS}
        ),
        alt=html.escape(description, quote=True),
        narrow=NARROW,
        min_width=MIN_VIEW_WIDTH,
        multiline=script_json(MULTILINE),
        label_share=MULTILINE_LABEL_SHARE_PCT,
    )
    return {"text/html": out, "text/plain": f"<Altair chart: {description}>"}


def enable() -> None:
    """Use the book's theme and renderer for every Altair chart from now on."""
    alt.theme.register("oilroutes", enable=True)(theme)
    alt.renderers.register("oilroutes", _renderer)
    alt.renderers.enable("oilroutes")
    alt.data_transformers.disable_max_rows()
