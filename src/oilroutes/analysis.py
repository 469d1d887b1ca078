"""Derived tables: route splits, shares, and the part of exports that crosses Russia.

Nothing here invents a number. Where the sources itemise only part of a year's
exports, the rest is shown as "not itemised" (the published total minus the
itemised routes); where a route's Russian transit is mixed or unknown, the
share crossing Russia is given as a range, not a point.
"""

from __future__ import annotations

import pandas as pd

from .data import load_exports_by_route, load_exports_total, load_routes

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
    for year, grp in exports[exports["route_id"].isin(in_split)].groupby("year"):
        period = _split_period(grp)
        grp = grp[grp["period"] == period]
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
    out["year_label"] = [year_label(y, p) for y, p in zip(out["year"], out["period"])]
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


def introduction_numbers(split: pd.DataFrame | None = None) -> dict[str, float]:
    """The figures the introduction quotes, computed from the data package."""
    split = route_split() if split is None else split
    share = russia_share(split).set_index("year")
    totals = load_exports_total(preferred_only=True).set_index("year")
    return {
        "cpc_share_2022": value(split, "share_pct", year=2022, route_id="cpc"),
        "cpc_mt_2022": value(split, "volume_mt", year=2022, route_id="cpc"),
        "russia_low_2022": share.loc[2022, "share_low_pct"],
        "russia_high_2022": share.loc[2022, "share_high_pct"],
        "russia_low_2023": share.loc[2023, "share_low_pct"],
        "russia_high_2023": share.loc[2023, "share_high_pct"],
        "btc_mt_2023": value(split, "volume_mt", year=2023, route_id="aktau_btc"),
        "btc_share_2023": value(split, "share_pct", year=2023, route_id="aktau_btc"),
        "exports_2022": totals.loc[2022, "exports_mt"],
        "exports_2025": totals.loc[2025, "exports_mt"],
        "cpc_share_2025": value(split, "share_pct", year=2025, route_id="cpc"),
        "russia_low_2024_janoct": share.loc[2024, "share_low_pct"],
    }


def production_and_exports(first_year: int = 2015) -> pd.DataFrame:
    """Production and exports per year from ``first_year`` to the latest sourced year.

    Every year appears; a year with no published figure has NaN, shown as a gap.
    ``export_share_pct`` is exports over production where both are published.
    """
    from .data import load

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
    from .data import load

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


def dependence_numbers(split: pd.DataFrame | None = None) -> dict[str, float]:
    """The figures chapter 1 quotes, computed from the data package."""
    from .data import load

    split = route_split() if split is None else split
    share = russia_share(split).set_index("year")
    pe = production_and_exports().set_index("year")
    own = ownership_by_group().set_index("group")["stake_pct"]
    eu = load("eu_supply")
    econ = load("oil_economy").set_index(["year", "indicator"])["value"]
    buyers = load("buyers")
    germany = buyers[buyers["country"] == "Germany"].set_index("period")["value"]
    eu_val = lambda period, ind: value(eu, "value", period=period, indicator=ind)  # noqa: E731
    return {
        "prod_2015": pe.loc[2015, "production_mt"],
        "prod_2024": pe.loc[2024, "production_mt"],
        "prod_peak": pe["production_mt"].max(),
        "prod_peak_year": float(pe["production_mt"].idxmax()),
        "exports_2021": pe.loc[2021, "exports_mt"],
        "exports_2023": pe.loc[2023, "exports_mt"],
        "exports_2025": pe.loc[2025, "exports_mt"],
        "export_share_2022": pe.loc[2022, "export_share_pct"],
        "russia_low_2022": share.loc[2022, "share_low_pct"],
        "russia_high_2022": share.loc[2022, "share_high_pct"],
        "russia_low_2023": share.loc[2023, "share_low_pct"],
        "russia_high_2023": share.loc[2023, "share_high_pct"],
        "russia_low_2024": share.loc[2024, "share_low_pct"],
        "russia_low_2013": share.loc[2013, "share_low_pct"],
        "russia_high_2013": share.loc[2013, "share_high_pct"],
        "cpc_share_2013": value(split, "share_pct", year=2013, route_id="cpc"),
        "cpc_share_2025": value(split, "share_pct", year=2025, route_id="cpc"),
        "china_mt_2013": value(split, "volume_mt", year=2013, route_id="kazakhstan_china"),
        "china_mt_2023": value(split, "volume_mt", year=2023, route_id="kazakhstan_china"),
        "btc_mt_2023": value(split, "volume_mt", year=2023, route_id="aktau_btc"),
        "makhachkala_mt_2023": value(split, "volume_mt", year=2023, route_id="aktau_makhachkala"),
        "oil_gas_share_exports_2022": econ.loc[(2022, "oil_gas_share_of_exports")],
        "oil_gas_share_gdp_2022": econ.loc[(2022, "oil_gas_share_of_gdp")],
        "nf_oil_2021": econ.loc[(2021, "national_fund_oil_gas_revenue")] / 1000,
        "nf_oil_2022": econ.loc[(2022, "national_fund_oil_gas_revenue")] / 1000,
        "eu_exports_2023": eu_val("2023", "kazakh_exports_to_eu"),
        "eu_share_of_exports_2023": 100 * eu_val("2023", "kazakh_exports_to_eu") / pe.loc[2023, "exports_mt"],
        "europe_exports_2023": eu_val("2023", "kazakh_exports_to_europe"),
        "europe_share_of_exports_2023": 100 * eu_val("2023", "kazakh_exports_to_europe") / pe.loc[2023, "exports_mt"],
        "eu_share_2021": eu_val("2021", "share_of_eu_crude_imports"),
        "eu_share_2024": eu_val("2024", "share_of_eu_oil_imports"),
        "eu_rank_2022": eu_val("2022", "rank_among_eu_suppliers"),
        "eu_rank_2024": eu_val("2024", "rank_among_eu_suppliers"),
        "germany_2023": germany["2023"],
        "germany_2025": germany["2025"],
        "italy_customs_2023": value(buyers, "value", country="Italy", period="2023"),
        "italy_imports_janaug_2024": value(buyers, "value", country="Italy", period="Jan–Aug 2024"),
        "own_russia_state": own["Russian state"],
        "own_kazakh_state": own["Kazakh state"],
        "own_us": own["US majors"],
        "own_russia_linked": own["Russian state"] + own["Russian companies"] + own["Russian–Western joint venture"],
    }


def cpc_numbers(losses: pd.DataFrame | None = None) -> dict[str, float]:
    """The figures chapter 2 quotes, computed from the data package and the loss model."""
    from .data import load, load_legs
    from .losses import event_losses, losses_by_year

    losses = event_losses() if losses is None else losses
    by_year = losses_by_year(losses).set_index("year")
    ev = load("cpc_events").set_index("event_id")
    ctx = load("political_context").set_index("event_id")
    tp = load("cpc_throughput")
    tp = tp[tp["preferred"]].set_index(["year", "measure"])["volume_mt"]
    cap = load("cpc_capacity").set_index(["year", "scope"])["capacity_mt"]
    counts = ev["event_type"].value_counts()
    est = losses.set_index("event_id")
    days_between = lambda a, b: float((pd.Timestamp(b) - pd.Timestamp(a)).days)  # noqa: E731
    from .losses import LossAssumptions

    assume = LossAssumptions()
    reported = load("reported_losses").set_index("loss_id")
    return {
        "cpc_length_km": float(load_legs().set_index("leg_id").loc["cpc_pipeline", "length_km"]),
        "open_days": float(assume.open_event_days),
        "ratio_low": assume.bbl_per_tonne_low,
        "ratio_high": assume.bbl_per_tonne_high,
        "storm_kbd": float(ev.loc["storm_2022", "effect_high"]),
        "storm_reported_mt": float(reported.loc["storm_2022_volume", "value_high"]),
        "krop_low_pct": float(ev.loc["kropotkinskaya_2025", "effect_low"]),
        "krop_high_pct": float(ev.loc["kropotkinskaya_2025", "effect_high"]),
        "spm2_pct": float(ev.loc["spm2_2025", "effect_high"]),
        "attacks_reported_mt": float(reported.loc["attacks_2025_volume", "value_high"]),
        "n_events": float(len(ev)),
        "n_military": float(counts.get("military", 0)),
        "n_weather": float(counts.get("weather", 0)),
        "n_technical": float(counts.get("technical", 0)),
        "n_legal": float(counts.get("legal_regulatory", 0)),
        "n_other": float(counts.get("other", 0)),
        "n_estimated": float(losses["estimated"].sum()),
        "n_not_estimated": float((~losses["estimated"]).sum()),
        "cap_first_phase": cap.loc[(2004, "total")],
        "cap_2018": cap.loc[(2018, "total")],
        "cap_2024": cap.loc[(2024, "total")],
        "cap_kz_2024": cap.loc[(2024, "kazakh_section")],
        "tp_2019": tp.loc[(2019, "total")],
        "tp_2022": tp.loc[(2022, "total")],
        "tp_2023": tp.loc[(2023, "total")],
        "tp_2025": tp.loc[(2025, "total")],
        "tp_kz_2022": tp.loc[(2022, "kazakh")],
        "tp_kz_2025": tp.loc[(2025, "kazakh")],
        "kz_share_2025": 100 * tp.loc[(2025, "kazakh")] / tp.loc[(2025, "total")],
        "days_call_to_court": days_between(ctx.loc["michel_call_2022", "date"], ev.loc["court_2022", "start_date"]),
        "days_court_to_reversal": days_between(ev.loc["court_2022", "start_date"], ev.loc["court_2022", "end_date"]),
        "days_sochi_to_buoyancy": days_between(ctx.loc["sochi_2022", "date"], ev.loc["buoyancy_2022", "start_date"]),
        "days_storm_2022": est.loc["storm_2022", "days"],
        "storm_mt_low": est.loc["storm_2022", "lost_mt_low"],
        "storm_mt_high": est.loc["storm_2022", "lost_mt_high"],
        "storm_musd": est.loc["storm_2022", "revenue_musd_high"],
        "kropotkinskaya_days": est.loc["kropotkinskaya_2025", "days"],
        "kropotkinskaya_mt_low": est.loc["kropotkinskaya_2025", "lost_mt_low"],
        "kropotkinskaya_mt_high": est.loc["kropotkinskaya_2025", "lost_mt_high"],
        "spm2_mt": est.loc["spm2_2025", "lost_mt_high"],
        "loss_2022_musd": by_year.loc[2022, "revenue_musd_high"],
        "loss_2025_musd_low": by_year.loc[2025, "revenue_musd_low"],
        "loss_2025_musd_high": by_year.loc[2025, "revenue_musd_high"],
        "kz_growth_2025": tp.loc[(2025, "kazakh")] - tp.loc[(2024, "kazakh")],
    }


def trans_caspian_volumes() -> pd.DataFrame:
    """Every preferred figure for Kazakh crude shipped towards BTC, full-year and part-year."""
    ex = load_exports_by_route()
    ex = ex[(ex["route_id"] == "aktau_btc") & ex["preferred"]]
    return ex.sort_values(["year", "period"]).reset_index(drop=True)


def btc_numbers() -> dict[str, float]:
    """The figures chapter 3 quotes, computed from the data package."""
    from . import chain
    from .data import load, load_legs

    table = chain.chain_table()
    t = table.set_index("leg_id")
    cpc_kz = float(t.loc["cpc_kazakh_section", "use_mt"])
    plans = load("trans_caspian_plans").set_index("plan_id")["volume_mt_per_year"]
    sc = chain.scenarios(table, load("trans_caspian_plans"), cpc_kz).set_index("basis")
    bind_all = chain.binding_constraint(table, cpc_kz, include_estimates=True)
    bind_pub = chain.binding_constraint(table, cpc_kz, include_estimates=False)
    vols = trans_caspian_volumes()
    full = vols[vols["period"] == "full_year"].set_index("year")["volume_mt"]
    lengths = chain.leg_lengths(load_legs()).set_index("leg_id")
    btc = load("btc_throughput")
    btc_mt = btc[btc["measure"] == "total_mt"].set_index("year")["value"]
    sh = load("btc_shareholders").set_index("shareholder")["stake_pct"]
    ex = load_exports_by_route()
    reuters_2024 = ex[(ex["year"] == 2024) & (ex["route_id"] == "aktau_btc") & (ex["source"] == "pgj2025btc")]["volume_mt"].iloc[0]
    tariffs = load("tariffs").set_index("tariff_id")
    return {
        "btc_capacity_mbd": float(t.loc["btc_pipeline", "capacity"]) / 1000,
        "kz_btc_2024_reuters": float(reuters_2024),
        "fleet_half_t": float(t.loc["caspian_tankers", "capacity"]) * 1e6 / 2,
        "tariff_low": float(tariffs.loc["btc_participants", "value_low"]),
        "tariff_high": float(tariffs.loc["btc_participants", "value_high"]),
        "turkey_fee_cents": 100 * float(tariffs.loc["btc_turkey_fee", "value_low"]),
        "btc_ratio": chain.btc_bbl_per_tonne(),
        "btc_capacity_mt": t.loc["btc_pipeline", "capacity_mt"],
        "btc_use_mt_2024": t.loc["btc_pipeline", "use_mt"],
        "btc_spare_mt": t.loc["btc_pipeline", "spare_mt"],
        "btc_utilisation": t.loc["btc_pipeline", "utilisation_pct"],
        "btc_2016": btc_mt.loc[2016],
        "btc_2024": btc_mt.loc[2024],
        "btc_bp": sh.loc["BP"],
        "btc_socar": sh.loc["SOCAR"],
        "kz_btc_2022": full.loc[2022],
        "kz_btc_2023": full.loc[2023],
        "kz_btc_2024": full.loc[2024],
        "kz_btc_2025": full.loc[2025],
        "agreement_2023": plans.loc["kmg_socar_2023"],
        "agreement_2024": plans.loc["kmg_socar_2024"],
        "ambition_2027": plans.loc["btc_2027"],
        "target_20": plans.loc["aktau_kuryk_20"],
        "aktau_capacity": t.loc["aktau_berths", "capacity_mt"],
        "aktau_use_2023": t.loc["aktau_berths", "use_mt"],
        "aktau_rebuilt": t.loc["aktau_berths_rebuilt", "capacity_mt"],
        "fleet_capacity": t.loc["caspian_tankers", "capacity_mt"],
        "cpc_kz_2025": cpc_kz,
        "ceiling_fleet": bind_all["ceiling_mt"],
        "ceiling_fleet_share": bind_all["share_of_cpc_pct"],
        "ceiling_port": bind_pub["ceiling_mt"],
        "ceiling_port_share": bind_pub["share_of_cpc_pct"],
        "share_2027": sc.loc["btc_2027", "share_of_cpc_pct"],
        "share_target": sc.loc["aktau_kuryk_20", "share_of_cpc_pct"],
        "btc_schematic_km": lengths.loc["btc", "schematic_km"],
        "btc_reported_km": lengths.loc["btc", "length_km"],
        "cpc_schematic_km": lengths.loc["cpc_pipeline", "schematic_km"],
        "sea_aktau_km": lengths.loc["aktau_sangachal", "schematic_km"],
        "sea_kuryk_km": lengths.loc["kuryk_sangachal", "schematic_km"],
        "trans_caspian_km": lengths.loc["aktau_sangachal", "schematic_km"] + lengths.loc["btc", "length_km"],
        "cpc_reported_km": lengths.loc["cpc_pipeline", "length_km"],
        "extra_distance_pct": 100 * ((lengths.loc["aktau_sangachal", "schematic_km"] + lengths.loc["btc", "length_km"]) / lengths.loc["cpc_pipeline", "length_km"] - 1),
    }
