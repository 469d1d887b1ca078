"""Derived tables: route splits, shares, and the part of exports that crosses Russia.

Nothing here invents a number. Where the sources itemise only part of a year's
exports, the rest is shown as "not itemised" (the published total minus the
itemised routes); where a route's Russian transit is mixed or unknown, the
share crossing Russia is given as a range, not a point.
"""

from __future__ import annotations

import pandas as pd

from .data import derived, load, load_exports_by_route, load_exports_total, load_routes

PERIOD_LABELS = {
    "full_year": "",
    "jan_oct": " (Jan–Oct)",
    "jan_sep": " (Jan–Sep)",
    "jan_jun": " (Jan–Jun)",
    "jan_aug": " (Jan–Aug)",
    "jan_nov": " (Jan–Nov)",
}
NOT_ITEMISED = "not_itemised"


#: How a value is known, in the order charts and tables list them.
STATUSES = ("reported", "implied", "estimate")

#: The column holding each series' value (the resources growth statements may refer to).
VALUE_COLUMN = {"btc_throughput": "value", "cpc_throughput": "volume_mt", "exports_total": "exports_mt"}


def year_label(year: int, period: str) -> str:
    return f"{year}{PERIOD_LABELS.get(period, ' (' + period + ')')}"


def _split_period(rows: pd.DataFrame) -> str:
    """The period a year's split uses: the one that itemises the most routes (full year on a tie)."""
    counts = rows.groupby("period")["route_id"].nunique()
    best = counts.max()
    candidates = sorted(counts[counts == best].index, key=lambda p: (p != "full_year", p))
    return candidates[0]


@derived
def route_split(
    exports: pd.DataFrame | None = None, totals: pd.DataFrame | None = None, routes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per year and route, using each year's preferred figures.

    Where a year has figures for several periods (a full year for some routes,
    January-October for all), the period that itemises the most routes is used.
    Sub-routes replace their parent where the sources itemise them (any rest of
    the parent stays under the parent's name); memo routes (``in_split`` false,
    such as the German flow inside Atyrau–Samara) are left out so nothing is
    counted twice. Where a full-year published total exceeds the itemised sum,
    the difference is a ``not_itemised`` row.
    """
    exports = (
        load_exports_by_route(preferred_only=True) if exports is None else exports[exports["preferred"].astype(bool)]
    )
    totals = exports_total_with_estimates() if totals is None else totals[totals["preferred"].astype(bool)]
    if "status" not in totals.columns:
        totals = totals.assign(status="reported")
    routes = load_routes() if routes is None else routes
    # the routes' attributes as plain lookups: they are read for every route of every year
    parent_of = dict(zip(routes["route_id"], routes["parent_route"], strict=True))
    name_of = dict(zip(routes["route_id"], routes["name"], strict=True))
    crosses = dict(zip(routes["route_id"], routes["crosses_russia"], strict=True))
    in_split = set(routes.loc[routes["in_split"].astype(bool), "route_id"])
    rows = []
    for year, year_rows in exports[exports["route_id"].isin(in_split)].groupby("year"):
        period = _split_period(year_rows)
        grp = year_rows[year_rows["period"] == period]
        by_route = grp.set_index("route_id")
        used = []
        for rid, rec in by_route.iterrows():
            parent = parent_of[rid]
            if isinstance(parent, str) and parent:
                used.append((rid, rec["volume_mt"], rec))
                continue
            children = [c for c in by_route.index if parent_of[c] == rid]
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
        total_status = tot["status"].iloc[0] if len(tot) else "reported"
        for rid, vol, rec in used:
            rows.append(
                dict(
                    year=int(year),
                    period=period,
                    route_id=rid,
                    route_name=name_of[rid],
                    volume_mt=float(vol),
                    crosses_russia=crosses[rid],
                    source=rec["source"],
                    estimate=bool(rec["estimate"]),
                    total_mt=total,
                    total_source=total_source,
                    status=rec.get("status", "reported") or "reported",
                )
            )
        if total - itemised > 0.05:
            rows.append(
                dict(
                    year=int(year),
                    period=period,
                    route_id=NOT_ITEMISED,
                    route_name="Not itemised by the sources",
                    volume_mt=total - itemised,
                    crosses_russia="unknown",
                    source=total_source,
                    estimate=total_status == "estimate",
                    total_mt=total,
                    total_source=total_source,
                    status=total_status,
                )
            )
    # Years with a published total but no split by route: one "not itemised" bar.
    for rec in totals.itertuples():
        if rec.period == "full_year" and not any(r["year"] == rec.year for r in rows):
            rows.append(
                dict(
                    year=int(rec.year),
                    period=rec.period,
                    route_id=NOT_ITEMISED,
                    route_name="Not itemised by the sources",
                    volume_mt=float(rec.exports_mt),
                    crosses_russia="unknown",
                    source=rec.source,
                    estimate=rec.status == "estimate",
                    total_mt=float(rec.exports_mt),
                    total_source=rec.source,
                    status=rec.status,
                )
            )
    out = pd.DataFrame(rows).sort_values(["year"], kind="stable").reset_index(drop=True)
    out["share_pct"] = 100 * out["volume_mt"] / out["total_mt"]
    out["year_label"] = [year_label(y, p) for y, p in zip(out["year"], out["period"], strict=True)]
    return out


@derived
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
        out.append(
            dict(
                year=year,
                year_label=label,
                total_mt=total,
                russia_mt_low=yes,
                russia_mt_high=yes + maybe,
                share_low_pct=100 * yes / total,
                share_high_pct=100 * (yes + maybe) / total,
            )
        )
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


@derived
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
    # Estimates stay out of exports_mt (the chart draws only published totals); they sit beside it, labelled.
    est = exports_estimates().set_index("year")
    out["exports_status"] = ["reported" if y in exp.index else ("estimate" if y in est.index else None) for y in years]
    out["exports_estimate_mt"] = [float(est.loc[y, "exports_mt"]) if y in est.index else float("nan") for y in years]
    out["exports_low_mt"] = [float(est.loc[y, "exports_low"]) if y in est.index else float("nan") for y in years]
    out["exports_high_mt"] = [float(est.loc[y, "exports_high"]) if y in est.index else float("nan") for y in years]
    out["exports_estimate_source"] = [est.loc[y, "source"] if y in est.index else None for y in years]
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


def by_full_year(df: pd.DataFrame, column: str) -> pd.Series:
    """``column`` of a frame's full-year rows (a ``period`` of ``full_year``), indexed by year."""
    return df[df["period"] == "full_year"].set_index("year")[column]


@derived
def preferred_throughput() -> pd.Series:
    """CPC's preferred throughput figures (Mt), indexed by year and measure (total, kazakh)."""
    tp = load("cpc_throughput")
    return tp[tp["preferred"].astype(bool)].set_index(["year", "measure"])["volume_mt"]


@derived
def trans_caspian_volumes() -> pd.DataFrame:
    """Every preferred figure for Kazakh crude shipped towards BTC, full-year and part-year."""
    ex = load_exports_by_route()
    ex = ex[(ex["route_id"] == "aktau_btc") & ex["preferred"]]
    return ex.sort_values(["year", "period"]).reset_index(drop=True)


# ---------------------------------------------------------------- implied and estimated values


def _published(series: str, measure: str | None, year: int) -> tuple[float, str]:
    """The preferred published value of a series for one year (and measure), with its source."""
    df = load(series)
    if "preferred" in df.columns:
        df = df[df["preferred"].astype(bool)]
    if "period" in df.columns:
        df = df[df["period"] == "full_year"]
    df = df[(df["year"] == year) & ((df["measure"] == measure) if measure and "measure" in df.columns else True)]
    if "status" in df.columns:
        df = df[df["status"] == "reported"]
    if len(df) != 1:
        raise LookupError(f"{series}: expected one reported {measure or ''} value for {year}, found {len(df)}")
    return float(df[VALUE_COLUMN[series]].iloc[0]), df["source"].iloc[0]


def _apply_change(base: float, change_pct: float, base_year: int, year: int) -> float:
    """The other year's value given the base year's value and the stated change from the earlier year to the later."""
    factor = 1 + change_pct / 100
    return base / factor if base_year > year else base * factor


@derived
def implied_values(series: str | None = None, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Values implied by a stated change on a published year (``growth_statements``), never typed in.

    ``value`` applies the change as stated; ``value_low`` and ``value_high`` apply
    it plus and minus half the step the source rounds to (a "fell 8%" is 7.5-8.5%).
    """
    st = load("growth_statements") if statements is None else statements
    if series is not None:
        st = st[st["series"] == series]
    rows = []
    for s in st.itertuples():
        base, base_source = _published(s.series, s.measure, int(s.base_year))
        half = float(s.stated_precision_pct) / 2
        ends = sorted(
            _apply_change(base, float(s.change_pct) + d, int(s.base_year), int(s.year)) for d in (-half, half)
        )
        value = _apply_change(base, float(s.change_pct), int(s.base_year), int(s.year))
        rows.append(
            dict(
                series=s.series,
                measure=s.measure,
                year=int(s.year),
                value=value,
                value_low=ends[0],
                value_high=ends[1],
                base_year=int(s.base_year),
                base_value=base,
                change_pct=float(s.change_pct),
                status="implied",
                source=s.source,
                note=(
                    f"Implied: {int(s.base_year)} = {base:g} Mt and a stated change of {float(s.change_pct):+g}% "
                    f"(rounded to {float(s.stated_precision_pct):g}%): {ends[0]:.2f}–{ends[1]:.2f} Mt. "
                    f'"{s.quote}"'
                ),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "series",
            "measure",
            "year",
            "value",
            "value_low",
            "value_high",
            "base_year",
            "base_value",
            "change_pct",
            "status",
            "source",
            "note",
        ],
    )


@derived
def btc_throughput() -> pd.DataFrame:
    """BTC's yearly flow: every published row, plus the years implied by a stated change, labelled ``implied``."""
    btc = load("btc_throughput")
    btc = btc.assign(value_low=btc["value"], value_high=btc["value"])
    imp = implied_values("btc_throughput")
    imp = imp.assign(unit="Mt")[
        ["year", "measure", "value", "unit", "status", "source", "note", "value_low", "value_high"]
    ]
    return (
        pd.concat([btc, imp], ignore_index=True).sort_values(["measure", "year"], kind="stable").reset_index(drop=True)
    )


@derived
def export_residuals() -> pd.DataFrame:
    """Years with production, exports and domestic use all published: what exports leave unexplained.

    ``residual_mt`` is production minus exports minus domestic use (losses, own
    use, stock changes): how far "production minus domestic use" overstates the
    published exports.
    """
    prod = load("production")
    prod = prod[prod["preferred"].astype(bool)].set_index("year")
    ref = load("refining")
    ref = ref[ref["preferred"].astype(bool)].set_index("year")
    exp = load_exports_total(preferred_only=True)
    exp = exp[(exp["period"] == "full_year") & (exp["status"] == "reported")].set_index("year")
    years = sorted(set(prod.index) & set(ref.index) & set(exp.index))
    out = pd.DataFrame({"year": years})
    out["production_mt"] = [float(prod.loc[y, "production_mt"]) for y in years]
    out["exports_mt"] = [float(exp.loc[y, "exports_mt"]) for y in years]
    out["domestic_mt"] = [float(ref.loc[y, "volume_mt"]) for y in years]
    out["domestic_basis"] = [ref.loc[y, "basis"] for y in years]
    out["residual_mt"] = out["production_mt"] - out["exports_mt"] - out["domestic_mt"]
    out["source"] = [f"{prod.loc[y, 'source']};{exp.loc[y, 'source']};{ref.loc[y, 'source']}" for y in years]
    return out


@derived
def exports_estimates() -> pd.DataFrame:
    """Exports estimated for years with production and refining published but no export total.

    Estimate = production - refining - residual, the residual taken from the years
    where all three are published (:func:`export_residuals`): the central value
    uses their mean, the range their lowest and highest. Labelled ``estimate``.
    """
    res = export_residuals()
    if res.empty:
        raise LookupError(
            "no year has production, exports and domestic use all published: no residual to estimate with"
        )
    r_lo, r_hi, r_mid = (
        float(res["residual_mt"].min()),
        float(res["residual_mt"].max()),
        float(res["residual_mt"].mean()),
    )
    prod = load("production")
    prod = prod[prod["preferred"].astype(bool)].set_index("year")
    ref = load("refining")
    ref = ref[ref["preferred"].astype(bool)].set_index("year")
    exp = load_exports_total(preferred_only=True)
    published = set(exp.loc[exp["period"] == "full_year", "year"])
    years = sorted((set(prod.index) & set(ref.index)) - published)
    check = ", ".join(f"{int(y)}" for y in res["year"])
    rows = []
    for y in years:
        p, d = float(prod.loc[y, "production_mt"]), float(ref.loc[y, "volume_mt"])
        rows.append(
            dict(
                year=int(y),
                period="full_year",
                exports_mt=p - d - r_mid,
                exports_low=p - d - r_hi,
                exports_high=p - d - r_lo,
                production_mt=p,
                refining_mt=d,
                refining_basis=ref.loc[y, "basis"],
                residual_low=r_lo,
                residual_high=r_hi,
                preferred=True,
                status="estimate",
                source=";".join(
                    dict.fromkeys(
                        k
                        for keys in [prod.loc[y, "source"], ref.loc[y, "source"], *res["source"]]
                        for k in keys.split(";")
                    )
                ),
                note=(
                    f"Estimate: production {p:g} Mt minus refining {d:g} Mt minus the residual of "
                    f"{r_lo:.1f}–{r_hi:.1f} Mt found in {check}."
                ),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "period",
            "exports_mt",
            "exports_low",
            "exports_high",
            "production_mt",
            "refining_mt",
            "refining_basis",
            "residual_low",
            "residual_high",
            "preferred",
            "status",
            "source",
            "note",
        ],
    )


@derived
def exports_total_with_estimates() -> pd.DataFrame:
    """The preferred published export totals, plus the estimated years, each row with its ``status``."""
    exp = load_exports_total(preferred_only=True)
    exp = exp.assign(exports_low=exp["exports_mt"], exports_high=exp["exports_mt"])
    est = exports_estimates()[
        ["year", "period", "exports_mt", "preferred", "status", "source", "note", "exports_low", "exports_high"]
    ]
    return (
        pd.concat([exp, est], ignore_index=True).sort_values(["year", "period"], kind="stable").reset_index(drop=True)
    )
