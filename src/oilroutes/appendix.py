"""Data cards for the appendix, generated from the data package descriptor and the data themselves."""

from __future__ import annotations

import html
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


def _text(value) -> str:
    """Text from the descriptor or the bibliography, made inert in Markdown: no HTML, no table break, no link syntax."""
    out = html.escape(str(value if value is not None else ""), quote=False)
    for ch in ("|", "[", "]", "`", "*", "_", "<", ">"):
        out = out.replace(ch, "\\" + ch)
    return out


def _code(value) -> str:
    """A field name as inline code (code spans show their text literally); one with a backtick as plain text."""
    value = str(value)
    return f"`{value}`" if "`" not in value and "|" not in value else _text(value)


def _link(title, url) -> str:
    """A Markdown link for an http(s) address; any other scheme (javascript:, data:) is shown as text, never linked."""
    url = str(url or "").strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return _text(title)
    return f"[{_text(title)}](<{url.replace('<', '%3C').replace('>', '%3E').replace(' ', '%20')}>)"


def card(resource: dict) -> str:
    """One dataset's card in Markdown: what, fields and units, coverage, sources, caveats, download."""
    name = resource["name"]
    df = _frame(name)
    refs = references()
    keys = sorted({k for s in df["source"].dropna() for k in split_keys(s)})
    fields = "\n".join(
        f"| {_code(f['name'])} | {_text(f['type'])} | {_text(f.get('unit', ''))} | {_text(f.get('description', ''))} |"
        for f in resource["schema"]["fields"]
    )
    lines = [
        f"### {_text(resource['title'])}",
        "",
        _text(resource["description"]),
        "",
        f"**File:** [`data/{resource['path']}`](../data/{resource['path']}) · **Rows:** {len(df)} · **Coverage:** {_coverage(df)}",
        "",
        "| field | type | unit | meaning |",
        "|---|---|---|---|",
        fields,
        "",
    ]
    if "preferred" in df.columns:
        alt = df[~df["preferred"].astype(bool)]
        if len(alt):
            lines.append(
                f"**Disagreements:** {len(alt)} row(s) keep a second source's figure beside the one the book uses "
                "(`preferred` is false); their notes say why."
            )
            lines.append("")
    for flag in ("estimate", "capacity_estimate"):
        if flag in df.columns and df[flag].astype(bool).any():
            lines.append(
                f"**Estimates:** {int(df[flag].astype(bool).sum())} row(s) are estimates or calculations, flagged in `{flag}`."
            )
            lines.append("")
    if "status" in df.columns:
        counts = df["status"].value_counts()
        lines.append(
            "**Status:** "
            + ", ".join(f"{int(counts[k])} {k}" for k in ("reported", "implied", "estimate") if k in counts)
            + " (`status`). Values implied from a stated change, or estimated by the book, are derived in code and "
            "shown labelled in the chapters."
        )
        lines.append("")
    lines += gaps(resource)
    lines.append(
        f"**Sources ({len(keys)}):** "
        + "; ".join(
            f"{_text(refs[k].get('organization', ''))}, {_link(refs[k].get('title', k), refs[k].get('url'))} (accessed {_text(refs[k].get('urldate', ''))})"
            for k in keys
        )
    )
    return "\n".join(lines)


def gaps(resource: dict) -> list[str]:
    """The gaps a resource keeps (``x-gaps`` in the descriptor): which years, the outcome, and the searches tried."""
    found = resource.get("x-gaps", [])
    if not found:
        return []
    out = [f"**Gaps ({len(found)}):**", ""]
    for g in found:
        queries = "; ".join(f"“{_text(q)}”" for q in g.get("queries", []))
        out.append(
            f"- {_text(g['years'])}: {_text(g['what'])}. Outcome: {_text(g['outcome'])}."
            + (f" Searches tried: {queries}." if queries else "")
        )
    out.append("")
    return out


def cards() -> Markdown:
    """Every dataset's card, in the order of the descriptor."""
    descriptor = load_descriptor()
    return Markdown("\n\n".join(card(r) for r in descriptor["resources"]))
