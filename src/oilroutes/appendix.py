"""Data cards for the appendix, generated from the data package descriptor and the data themselves.

The cards are one Markdown output. Each card's heading, description and file line are Markdown (so the
file link is Sphinx's download of the data file); its fields, flags, gaps and sources follow as one raw
HTML block, written the way Sphinx writes a table, a list and a link, with no blank line inside (so the
block ends where the card does). Parsing some 100 kB of cards as Markdown cost the clean build about half
a second; as HTML the page reads the same and the book's search still finds the words. Every text is
escaped for where it goes, on one line, and only http(s) addresses are linked.
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from urllib.parse import urlsplit

import pandas as pd
from IPython.display import Markdown

from .bib import references, split_keys
from .data import load, load_legs
from .validate import load_descriptor


def _frame(name: str) -> pd.DataFrame:
    return load_legs().drop(columns="geometry") if name == "route_legs" else load(name)


def _coverage(df: pd.DataFrame) -> str:
    for col in ("year", "from_year", "in_service_since"):
        if col in df.columns and df[col].notna().any():
            years = sorted({int(y) for y in df[col].dropna()})
            return f"{years[0]}–{years[-1]} ({len(years)} distinct years)" if len(years) > 1 else str(years[0])
    for col in ("start_date", "period_start", "date", "as_of"):
        if col in df.columns and df[col].notna().any():
            d = pd.to_datetime(df[col].dropna())
            return f"{d.min():%B %Y} – {d.max():%B %Y}"
    return "not time-bound"


# an '&' that a browser would read as the start of a character reference: named (HTML's own list) or numbered
_REFERENCE_START = re.compile("&(?=#|" + "|".join(map(re.escape, sorted(html5, key=len, reverse=True))) + ")")
# the values of a ``status`` column that says where a figure comes from
PROVENANCE = ("reported", "implied", "estimate")


def _text(value) -> str:
    """Text from the descriptor or the bibliography, made inert in Markdown: no HTML, no table break, no link syntax."""
    out = html.escape(str(value if value is not None else ""), quote=False)
    for ch in ("|", "[", "]", "`", "*", "_", "<", ">"):
        out = out.replace(ch, "\\" + ch)
    return out


def _h(value) -> str:
    """Text from the descriptor, the data or the bibliography as HTML text: on one line (a blank line would end
    the card's HTML block and leave the rest to Markdown), escaped, and with the curly quotes Sphinx gives
    the rest of the page (the card's HTML reaches the page as it is)."""
    from docutils.utils.smartquotes import educate_tokens

    text = " ".join(str(value if value is not None else "").split())
    text = "".join(educate_tokens([("text", text)], attr="qDe", language="en"))
    # '<' always; '&' only where a character reference could begin (the names the HTML standard knows); '>'
    # never needs it in text. So the page reads the same, and the search, which indexes this HTML with its tags
    # removed but its entities kept, finds "S&P" as before and no words 'amp' or 'gt'.
    return _REFERENCE_START.sub("&amp;", text).replace("<", "&lt;")


def _h_code(value) -> str:
    """A field name as the page's inline code."""
    return f'<code class="docutils literal notranslate"><span class="pre">{html.escape(str(value))}</span></code>'


def _h_link(title, url) -> str:
    """An HTML link for an http(s) address; any other scheme (javascript:, data:) is shown as text, never linked."""
    url = str(url or "").strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return _h(title)
    return f'<a class="reference external" href="{html.escape(url.replace(" ", "%20"), quote=True)}">{_h(title)}</a>'


def _p(*parts: str) -> str:
    return "<p>" + "".join(parts) + "</p>"


def head(resource: dict, df: pd.DataFrame) -> str:
    """A card's heading, description and file line, in Markdown (the file link is the book's download)."""
    return "\n".join(
        [
            f"### {_text(resource['title'])}",
            "",
            _text(resource["description"]),
            "",
            f"**File:** [`data/{resource['path']}`](../data/{resource['path']}) · **Rows:** {len(df)} · "
            f"**Coverage:** {_coverage(df)}",
        ]
    )


def body(resource: dict, df: pd.DataFrame) -> str:
    """The rest of a card as one raw HTML block (see the module's note): fields and units, flags, gaps, sources."""
    refs = references()
    keys = sorted({k for s in df["source"].dropna() for k in split_keys(s)})
    head_row = "".join(f'<th class="head"><p>{h}</p></th>\n' for h in ("field", "type", "unit", "meaning"))
    rows = "".join(
        f'<tr class="row-{"odd" if i % 2 else "even"}">'
        + "\n".join(
            f"<td><p>{cell}</p></td>"
            for cell in (_h_code(f["name"]), _h(f["type"]), _h(f.get("unit", "")), _h(f.get("description", "")))
        )
        + "\n</tr>\n"
        for i, f in enumerate(resource["schema"]["fields"])
    )
    out = [
        '<div class="pst-scrollable-table-container"><table class="table">\n<thead>\n'
        f'<tr class="row-odd">{head_row}</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>'
    ]
    if "preferred" in df.columns:
        alt = df[~df["preferred"].astype(bool)]
        if len(alt):
            out.append(
                _p(
                    f"<strong>Disagreements:</strong> {len(alt)} row(s) keep a second source’s figure beside the one "
                    f"the book uses ({_h_code('preferred')} is false); their notes say why."
                )
            )
    for flag in ("estimate", "capacity_estimate"):
        if flag in df.columns and df[flag].astype(bool).any():
            out.append(
                _p(
                    f"<strong>Estimates:</strong> {int(df[flag].astype(bool).sum())} row(s) are estimates or "
                    f"calculations, flagged in {_h_code(flag)}."
                )
            )
    if "status" in df.columns and set(df["status"].dropna()) <= set(PROVENANCE):
        counts = df["status"].value_counts()
        out.append(
            _p(
                "<strong>Status:</strong> ",
                ", ".join(f"{int(counts[k])} {k}" for k in PROVENANCE if k in counts),
                f" ({_h_code('status')}). Values implied from a stated change, or estimated by the book, are derived "
                "in code and shown labelled in the chapters.",
            )
        )
    found = resource.get("x-gaps", [])
    if found:
        out.append(_p(f"<strong>Gaps ({len(found)}):</strong>"))
        items = []
        for g in found:
            queries = "; ".join(f"“{_h(q)}”" for q in g.get("queries", []))
            items.append(
                f"<li><p>{_h(g['years'])}: {_h(g['what'])}. Outcome: {_h(g['outcome'])}."
                + (f" Searches tried: {queries}." if queries else "")
                + "</p></li>"
            )
        out.append('<ul class="simple">\n' + "\n".join(items) + "\n</ul>")
    out.append(
        _p(
            f"<strong>Sources ({len(keys)}):</strong> ",
            "; ".join(
                f"{_h(refs[k].get('organization', ''))}, {_h_link(refs[k].get('title', k), refs[k].get('url'))} "
                f"(accessed {_h(refs[k].get('urldate', ''))})"
                for k in keys
            ),
        )
    )
    return '<div class="oilroutes-card">\n' + "\n".join(out) + "\n</div>"


def card(resource: dict) -> str:
    """One dataset's card in Markdown: what, fields and units, coverage, sources, caveats, download."""
    df = _frame(resource["name"])
    return head(resource, df) + "\n\n" + body(resource, df)


def cards() -> Markdown:
    """Every dataset's card, in the order of the descriptor."""
    return Markdown("\n\n".join(card(r) for r in load_descriptor()["resources"]))
