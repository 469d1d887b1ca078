"""Derived tables: route splits, shares, and the part of exports that crosses Russia.

Nothing here invents a number. Where the sources itemise only part of a year's
exports, the rest is shown as "not itemised" (the published total minus the
itemised routes); where a route's Russian transit is mixed or unknown, the
share crossing Russia is given as a range, not a point.
"""

from __future__ import annotations

import pandas as pd

from .data import load, load_exports_by_route, load_exports_total, load_routes

PERIOD_LABELS = {"full_year": "", "jan_oct": " (Jan–Oct)", "jan_sep": " (Jan–Sep)", "jan_jun": " (Jan–Jun)",
                 "jan_aug": " (Jan–Aug)", "jan_nov": " (Jan–Nov)"}
NOT_ITEMISED = "not_itemised"


def year_label(year: int, period: str) -> str:
    return f"{year}{PERIOD_LABELS.get(period, ' (' + period + ')')}"


def _split_period(rows: pd.DataFrame) -> str:
    """The period a year's split uses: the one that itemises the most routes (full year on a tie)."""
    counts = rows.groupby("period")["route_id"].nunique()
    best = counts.max()
    candidates = sorted(counts[counts == best].index, key=lambda p: (p != "full_year", p))
    return candidates[0]


def route_split(exports: pd.DataFrame | None = None, totals: pd.DataFrame | None = None,
                routes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per year and route, using each year's preferred figures.

    Where a year has figures for several periods (a full year for some routes,
    January-October for all), the period that itemises the most routes is used.
    Sub-routes replace their parent where the sources itemise them (any rest of
    the parent stays under the parent's name); memo routes (``in_split`` false,
    such as the German flow inside Atyrau–Samara) are left out so nothing is
    counted twice. Where a full-year published total exceeds the itemised sum,
    the difference is a ``not_itemised`` row.
    """
    exports = load_exports_by_route(preferred_only=True) if exports is None else exports[exports["preferred"].astype(bool)]
    totals = load_exports_total(preferred_only=True) if totals is None else totals[totals["preferred"].astype(bool)]
    routes = load_routes() if routes is None else routes
    info = routes.set_index("route_id")
    in_split = set(routes.loc[routes["in_split"].astype(bool), "route_id"])
    rows = []
    for year, year_rows in exports[exports["route_id"].isin(in_split)].groupby("year"):
        period = _split_period(year_rows)
        grp = year_rows[year_rows["period"] == period]
        by_route = grp.set_index("route_id")
        used = []
        for rid, rec in by_route.iterrows():
            parent = info.loc[rid, "parent_route"]
            if isinstance(parent, str) and parent:
                used.append((rid, rec["volume_mt"], rec))
                continue
            children = [c for c in by_route.index if info.loc[c, "parent_route"] == rid]
            if children:
                rest = rec["volume_mt"] - by_route.loc[children, "volume_mt"].sum()
                if rest > 0.05:
                    used.append((rid, rest, rec))
            else:
                used.append((rid, rec["volume_mt"], rec))
        itemised = sum(v for _, v, _ in used)
        tot = totals[(totals["year"] == year) & (totals["period"] == period)]
        total = float(tot["exports_mt"].iloc[0]) if len(tot) else itemised
        total_source = tot["source"].iloc[0] if len(tot) else None
        for rid, vol, rec in used:
            rows.append(dict(year=int(year), period=period, route_id=rid, route_name=info.loc[rid, "name"],
                             volume_mt=float(vol), crosses_russia=info.loc[rid, "crosses_russia"],
                             source=rec["source"], estimate=bool(rec["estimate"]), total_mt=total,
                             total_source=total_source))
        if total - itemised > 0.05:
            rows.append(dict(year=int(year), period=period, route_id=NOT_ITEMISED,
                             route_name="Not itemised by the sources", volume_mt=total - itemised,
                             crosses_russia="unknown", source=total_source, estimate=False, total_mt=total,
                             total_source=total_source))
    # Years with a published total but no split by route: one "not itemised" bar.
    for rec in totals.itertuples():
        if rec.period == "full_year" and not any(r["year"] == rec.year for r in rows):
            rows.append(dict(year=int(rec.year), period=rec.period, route_id=NOT_ITEMISED,
                             route_name="Not itemised by the sources", volume_mt=float(rec.exports_mt),
                             crosses_russia="unknown", source=rec.source, estimate=False,
                             total_mt=float(rec.exports_mt), total_source=rec.source))
    out = pd.DataFrame(rows).sort_values(["year"], kind="stable").reset_index(drop=True)
    out["share_pct"] = 100 * out["volume_mt"] / out["total_mt"]
    out["year_label"] = [year_label(y, p) for y, p in zip(out["year"], out["period"], strict=True)]
    return out


def russia_share(split: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of each year's exports that crosses Russian territory, as a low–high range (%).

    Low counts only routes that certainly cross Russia; high adds the routes that
    partly do or are unknown, and the volume the sources do not itemise.
    """
    split = route_split() if split is None else split
    out = []
    for (year, label), g in split.groupby(["year", "year_label"]):
        if (g["route_id"] == NOT_ITEMISED).all():
            continue  # no route is itemised: the share is unknown, not 0-100%
        total = g["total_mt"].iloc[0]
        yes = g.loc[g["crosses_russia"] == "yes", "volume_mt"].sum()
        maybe = g.loc[g["crosses_russia"].isin(["partly", "unknown"]), "volume_mt"].sum()
        out.append(dict(year=year, year_label=label, total_mt=total, russia_mt_low=yes, russia_mt_high=yes + maybe,
                        share_low_pct=100 * yes / total, share_high_pct=100 * (yes + maybe) / total))
    return pd.DataFrame(out)


def value(df: pd.DataFrame, column: str, **where) -> float:
    """The single value of ``column`` in the row matching ``where``; fails loudly if not exactly one."""
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    hits = df.loc[mask, column]
    if len(hits) != 1:
        raise LookupError(f"expected one row with {where}, found {len(hits)}")
    return hits.iloc[0]


def production_and_exports(first_year: int = 2015) -> pd.DataFrame:
    """Production and exports per year from ``first_year`` to the latest sourced year.

    Every year appears; a year with no published figure has NaN, shown as a gap.
    ``export_share_pct`` is exports over production where both are published.
    """
    prod = load("production")
    prod = prod[prod["preferred"]].set_index("year")
    exp = load_exports_total(preferred_only=True)
    exp = exp[exp["period"] == "full_year"].set_index("year")
    last = int(max(prod.index.max(), exp.index.max()))
    years = range(first_year, last + 1)
    out = pd.DataFrame({"year": list(years)})
    out["production_mt"] = [float(prod.loc[y, "production_mt"]) if y in prod.index else float("nan") for y in years]
    out["exports_mt"] = [float(exp.loc[y, "exports_mt"]) if y in exp.index else float("nan") for y in years]
    out["production_source"] = [prod.loc[y, "source"] if y in prod.index else None for y in years]
    out["exports_source"] = [exp.loc[y, "source"] if y in exp.index else None for y in years]
    out["export_share_pct"] = 100 * out["exports_mt"] / out["production_mt"]
    return out


def ownership_by_group() -> pd.DataFrame:
    """CPC stakes summed by the group behind each holding, largest first."""
    sh = load("cpc_shareholders")
    out = sh.groupby("group", as_index=False)["stake_pct"].sum().sort_values("stake_pct", ascending=False)
    return out.reset_index(drop=True)


def fastest_growing_route(split: pd.DataFrame, since: int, until: int) -> tuple[str, float]:
    """The route whose volume grew most (in Mt) between two full years with itemised splits."""
    a = split[(split["year"] == since) & (split["period"] == "full_year")].set_index("route_id")["volume_mt"]
    b = split[(split["year"] == until) & (split["period"] == "full_year")].set_index("route_id")["volume_mt"]
    common = [r for r in a.index.intersection(b.index) if r != NOT_ITEMISED]
    if not common:
        raise LookupError(f"no route itemised in both {since} and {until}")
    growth = (b[common] - a[common]).sort_values(ascending=False)
    return growth.index[0], float(growth.iloc[0])


def trans_caspian_volumes() -> pd.DataFrame:
    """Every preferred figure for Kazakh crude shipped towards BTC, full-year and part-year."""
    ex = load_exports_by_route()
    ex = ex[(ex["route_id"] == "aktau_btc") & ex["preferred"]]
    return ex.sort_values(["year", "period"]).reset_index(drop=True)
