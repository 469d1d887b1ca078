"""The numbers each chapter quotes, one function per chapter.

Each function returns exactly the names its chapter glues into the prose (a
test checks both ways: no name unused, none missing). Rows are selected by
what they mean (a year, a measure, a route, preferred or not), never by a
source key or a row id written here, so a data edit cannot leave a sentence
quoting a stale figure. The derivations live in :mod:`oilroutes.analysis`,
:mod:`oilroutes.losses`, :mod:`oilroutes.chain` and :mod:`oilroutes.model`.
"""

from __future__ import annotations

import pandas as pd

from . import analysis, chain, conclusions, losses, model, text
from . import assumptions as assume
from .data import load, load_exports_by_route, load_exports_total, load_legs


class Text(str):
    """A string glued as prose: its repr is the text itself, without quotes."""

    def __repr__(self) -> str:
        return str(self)


def _share(split: pd.DataFrame) -> pd.DataFrame:
    return analysis.russia_share(split).set_index("year")


def introduction(split: pd.DataFrame | None = None) -> dict:
    """Chapter 0: the route split of 2022, 2023 and 2025, and the share crossing Russia."""
    split = analysis.route_split() if split is None else split
    share = _share(split)
    totals = load_exports_total(preferred_only=True).set_index("year")
    v = analysis.value
    return {
        "cpc_share_2022": v(split, "share_pct", year=2022, route_id="cpc"),
        "cpc_mt_2022": v(split, "volume_mt", year=2022, route_id="cpc"),
        "russia_low_2022": share.loc[2022, "share_low_pct"],
        "russia_high_2022": share.loc[2022, "share_high_pct"],
        "btc_mt_2023": v(split, "volume_mt", year=2023, route_id="aktau_btc"),
        "btc_share_2023": v(split, "share_pct", year=2023, route_id="aktau_btc"),
        "exports_2022": totals.loc[2022, "exports_mt"],
        "exports_2025": totals.loc[2025, "exports_mt"],
        "cpc_share_2025": v(split, "share_pct", year=2025, route_id="cpc"),
        "russia_low_2024_janoct": share.loc[2024, "share_low_pct"],
    }


def dependence(split: pd.DataFrame | None = None) -> dict:
    """Chapter 1: production, exports, the Russian share, buyers and CPC's owners."""
    split = analysis.route_split() if split is None else split
    share = _share(split)
    pe = analysis.production_and_exports().set_index("year")
    own = analysis.ownership_by_group().set_index("group")["stake_pct"]
    eu = load("eu_supply")
    econ = load("oil_economy").set_index(["year", "indicator"])["value"]
    buyers = load("buyers")
    v = analysis.value
    eu_val = lambda period, ind: v(eu, "value", period=period, indicator=ind)  # noqa: E731
    est = analysis.exports_estimates().set_index("year")
    res = analysis.export_residuals()
    up = load("upstream").set_index("fact_id")
    legal = load("legal_context").set_index("event_id")
    tp = analysis.preferred_throughput()
    btc_2025 = analysis.by_full_year(analysis.trans_caspian_volumes(), "volume_mt")
    hungary = buyers[buyers["country"] == "Hungary"]
    return {
        "exp_est_2015": est.loc[2015, "exports_mt"],
        "exp_est_2015_low": est.loc[2015, "exports_low"],
        "exp_est_2015_high": est.loc[2015, "exports_high"],
        "exp_est_2024": est.loc[2024, "exports_mt"],
        "exp_est_2024_low": est.loc[2024, "exports_low"],
        "exp_est_2024_high": est.loc[2024, "exports_high"],
        "refining_2024": est.loc[2024, "refining_mt"],
        "residual_low": res["residual_mt"].min(),
        "residual_high": res["residual_mt"].max(),
        "residual_years": Text(text.alternatives([str(y) for y in res["year"]]).replace(" or ", " and ")),
        "russia_low_2025": share.loc[2025, "share_low_pct"],
        "russia_high_2025": share.loc[2025, "share_high_pct"],
        "wpmp_date": Text(text.date(up.loc["wpmp_first_production", "date"])),
        "fgp_date": Text(text.date(up.loc["fgp_first_oil", "date"])),
        "fgp_full_date": Text(text.date(up.loc["fgp_full_capacity", "date"])),
        "tengiz_added_mt": up.loc["tengiz_expansion_added", "value"],
        "tengiz_vs_btc_2025": up.loc["tengiz_expansion_added", "value"] / btc_2025.loc[2025],
        "kashagan_9m_2025": up.loc["kashagan_jan_sep_2025", "value"],
        "kashagan_fcst_2025": up.loc["kashagan_2025_forecast", "value"],
        "prod_9m_2025": up.loc["national_jan_sep_2025", "value"],
        "prod_9m_growth": up.loc["national_jan_sep_2025_growth", "value"],
        "opec_quota": up.loc["opec_quota_2025_03", "value"],
        "crude_mar_2025": up.loc["crude_output_2025_03", "value"],
        "crude_2024": up.loc["crude_output_2024", "value"],
        "over_quota_pct": 100 * (up.loc["crude_output_2025_03", "value"] / up.loc["opec_quota_2025_03", "value"] - 1),
        "cpc_kz_2024": tp.loc[(2024, "kazakh")],
        "cpc_kz_2025": tp.loc[(2025, "kazakh")],
        "kebco_date": Text(text.date(legal.loc["kebco_2022", "date"])),
        "kebco_premium": legal.loc["kebco_2022", "value"],
        "hungary_kt_2025": 1000 * float(hungary["value"].iloc[0]),
        "prod_2015": pe.loc[2015, "production_mt"],
        "prod_2024": pe.loc[2024, "production_mt"],
        "prod_peak": pe["production_mt"].max(),
        "prod_peak_year": float(pe["production_mt"].idxmax()),
        "export_share_2022": pe.loc[2022, "export_share_pct"],
        "russia_low_2022": share.loc[2022, "share_low_pct"],
        "russia_high_2022": share.loc[2022, "share_high_pct"],
        "russia_low_2023": share.loc[2023, "share_low_pct"],
        "russia_high_2023": share.loc[2023, "share_high_pct"],
        "russia_low_2024": share.loc[2024, "share_low_pct"],
        "cpc_share_2013": v(split, "share_pct", year=2013, route_id="cpc"),
        "cpc_share_2025": v(split, "share_pct", year=2025, route_id="cpc"),
        "china_mt_2013": v(split, "volume_mt", year=2013, route_id="kazakhstan_china"),
        "china_mt_2023": v(split, "volume_mt", year=2023, route_id="kazakhstan_china"),
        "btc_mt_2023": v(split, "volume_mt", year=2023, route_id="aktau_btc"),
        "makhachkala_mt_2023": v(split, "volume_mt", year=2023, route_id="aktau_makhachkala"),
        "oil_gas_share_exports_2022": econ.loc[(2022, "oil_gas_share_of_exports")],
        "oil_gas_share_gdp_2022": econ.loc[(2022, "oil_gas_share_of_gdp")],
        "nf_oil_2021": econ.loc[(2021, "national_fund_oil_gas_revenue")] / 1000,
        "nf_oil_2022": econ.loc[(2022, "national_fund_oil_gas_revenue")] / 1000,
        "eu_exports_2023": eu_val("2023", "kazakh_exports_to_eu"),
        "eu_share_of_exports_2023": 100 * eu_val("2023", "kazakh_exports_to_eu") / pe.loc[2023, "exports_mt"],
        "eu_share_2021": eu_val("2021", "share_of_eu_crude_imports"),
        "eu_share_2024": eu_val("2024", "share_of_eu_oil_imports"),
        "eu_rank_2022": Text(text.ordinal(eu_val("2022", "rank_among_eu_suppliers"))),
        "eu_rank_2024": Text(text.ordinal(eu_val("2024", "rank_among_eu_suppliers"))),
        "germany_2023": v(buyers, "value", country="Germany", period="2023"),
        "germany_2025": v(buyers, "value", country="Germany", period="2025"),
        "italy_customs_2023": v(buyers, "value", country="Italy", period="2023"),
        "italy_imports_janaug_2024": v(buyers, "value", country="Italy", period="Jan–Aug 2024"),
        "own_russia_state": own["Russian state"],
        "own_kazakh_state": own["Kazakh state"],
        "own_us": own["US majors"],
        "own_russia_linked": own["Russian state"] + own["Russian companies"] + own["Russian–Western joint venture"],
    }


def _reported(cmp: pd.DataFrame, event_id, measure: str) -> pd.Series:
    rows = cmp[(cmp["measure"] == measure) & ((cmp["event_id"] == event_id) if event_id else cmp["event_id"].isna())]
    if len(rows) != 1:
        raise LookupError(f"expected one reported {measure} figure for {event_id or 'the year'}, found {len(rows)}")
    return rows.iloc[0]


def _days(a, b) -> float:
    return float((pd.Timestamp(b) - pd.Timestamp(a)).days)


def _storm_total_days(ev: pd.DataFrame) -> float:
    """Days from the first to the last day of the March 2022 storm's disruption (``ev`` indexed by event)."""
    return _days(ev.loc["storm_2022", "start_date"], ev.loc["storm_2022", "end_date"]) + 1


def _event_counts(ev: pd.DataFrame) -> dict[str, float]:
    """How many disruptions the record holds, in all and of each kind."""
    counts = ev["event_type"].value_counts()
    return {
        "n_events": float(len(ev)),
        "n_military": float(counts.get("military", 0)),
        "n_weather": float(counts.get("weather", 0)),
        "n_technical": float(counts.get("technical", 0)),
        "n_legal": float(counts.get("legal_regulatory", 0)),
        "n_other": float(counts.get("other", 0)),
    }


def _attacks_reported(cmp: pd.DataFrame) -> dict[str, float]:
    """The range officials gave for the year's export loss after the 2025 attacks (from ``model_vs_reported``)."""
    year = _reported(cmp, None, "exports")
    return {"attacks_reported_low": year["reported_low"], "attacks_reported_high": year["reported_high"]}


def cpc(estimate: pd.DataFrame | None = None) -> dict:
    """Chapter 2: the asset, the record of disruptions, the loss estimate beside what officials reported."""
    estimate = losses.event_losses() if estimate is None else estimate
    by_year = losses.losses_by_year(estimate).set_index("year")
    est = estimate.set_index("event_id")
    ev = load("cpc_events").set_index("event_id")
    ctx = load("political_context").set_index("event_id")
    tp = analysis.preferred_throughput()
    cap = load("cpc_capacity").set_index(["year", "scope"])["capacity_mt"]
    ratio = assume.ratio()
    cmp = losses.model_vs_reported()
    storm_usd = _reported(cmp, "storm_2022", "cost")
    storm_mt = _reported(cmp, "storm_2022", "production")
    pace = losses.flow_against_pace()
    pace_2022 = pace[(pace["period_start"].dt.year == 2022) & (pace["against"] == "previous year")].iloc[0]
    april_2025 = pace[
        (pace["period_start"] == pd.Timestamp("2025-04-01"))
        & (pace["measure"] == "kazakh")
        & (pace["against"] == "same year")
    ].iloc[0]
    phases = load("cpc_event_phases")
    storm = phases[phases["event_id"] == "storm_2022"]
    stop, one = storm[storm["phase"] == "full stop"], storm[storm["phase"] == "one mooring"]
    krop = phases[(phases["event_id"] == "kropotkinskaya_2025") & (phases["bound"] == "high")]
    spm2 = phases[phases["event_id"] == "spm2_2025"]
    court_dates = [ev.loc["court_2022", "start_date"]] + list(
        load("date_variants").query("row_id == 'court_2022' and field == 'start_date'")["date"]
    )
    gaps = sorted({int(_days(ctx.loc["michel_call_2022", "date"], d)) for d in court_dates})
    n_est = int(estimate["estimated"].astype(bool).sum())
    legal = load("legal_context")
    us = legal[legal["actor"].str.startswith("US")].sort_values("date")
    return {
        "us_first_date": Text(text.date(us["date"].iloc[0])),
        "us_ban_date": Text(text.date(us.loc[us["instrument"].str.contains("14071"), "date"].iloc[0])),
        "us_last_date": Text(text.date(us["date"].iloc[-1])),
        "n_us_measures": float(len(us)),
        "eu_druzhba_date": Text(text.date(legal.set_index("event_id").loc["eu_11th_package_2023", "date"])),
        "cpc_length_km": float(load_legs().set_index("leg_id").loc["cpc_pipeline", "length_km"]),
        "ratio_low": ratio.low,
        "ratio_high": ratio.high,
        "cap_first_phase": cap.loc[(2004, "total")],
        "cap_2018": cap.loc[(2018, "total")],
        "cap_2024": cap.loc[(2024, "total")],
        "cap_kz_2024": cap.loc[(2024, "kazakh_section")],
        "tp_2019": tp.loc[(2019, "total")],
        "tp_2022": tp.loc[(2022, "total")],
        "tp_2025": tp.loc[(2025, "total")],
        "kz_share_2025": 100 * tp.loc[(2025, "kazakh")] / tp.loc[(2025, "total")],
        **_event_counts(ev),
        "n_not_estimated": float(len(estimate) - n_est),
        "court_dates": Text(
            text.alternatives([f"{pd.Timestamp(d).day} {pd.Timestamp(d):%B}" for d in sorted(court_dates)])
        ),
        "call_to_court": Text(text.alternatives([str(g) for g in gaps]) + (" day" if gaps == [1] else " days")),
        "days_court_to_reversal": _days(ev.loc["court_2022", "start_date"], ev.loc["court_2022", "end_date"]),
        "days_sochi_to_buoyancy": _days(ctx.loc["sochi_2022", "date"], ev.loc["buoyancy_2022", "start_date"]),
        "storm_stop_days": _days(stop["start_date"].min(), stop["end_date"].max()) + 1,
        "storm_one_days": _days(one["start_date"].min(), one["end_date"].max()) + 1,
        "storm_total_days": _storm_total_days(ev),
        "storm_mt_low": est.loc["storm_2022", "lost_mt_low"],
        "storm_mt_high": est.loc["storm_2022", "lost_mt_high"],
        "storm_musd_low": est.loc["storm_2022", "revenue_musd_low"],
        "storm_musd_high": est.loc["storm_2022", "revenue_musd_high"],
        "storm_reported_mt": storm_mt["reported_high"],
        "storm_reported_musd": storm_usd["reported_high"],
        "storm_cost_ratio": storm_usd["ratio"],
        "pace_2022_mt": pace_2022["volume_mt"],
        "pace_2022_ahead": pace_2022["difference_mt"],
        "krop_high_pct": float(krop["value"].max()),
        "krop_forecast_days": _days(krop["start_date"].min(), krop["end_date"].max()) + 1,
        "krop_mt_high": est.loc["kropotkinskaya_2025", "lost_mt_high"],
        "krop_april_ahead": april_2025["difference_mt"],
        "spm2_pct": float(spm2.loc[(spm2["unit"] == "pct"), "value"].max()),
        "spm2_mt_low": est.loc["spm2_2025", "lost_mt_low"],
        "spm2_mt_high": est.loc["spm2_2025", "lost_mt_high"],
        **_attacks_reported(cmp),
        "loss_2025_mt_low": by_year.loc[2025, "lost_mt_low"],
        "loss_2025_mt_high": by_year.loc[2025, "lost_mt_high"],
        "n_large_gaps": float(cmp["gap_large"].sum()),
        "n_compared": float(len(cmp)),
    }


def btc() -> dict:
    """Chapter 3: the chain leg by leg, BTC's room, Kazakh volumes against plans, the binding link."""
    table = chain.chain_table()
    t = table.set_index("leg_id")
    room = chain.trans_caspian_room(table)
    _, cpc_kz = assume.cpc_kazakh_volume()
    plans = load("trans_caspian_plans")
    p = plans.set_index("plan_id")["volume_mt_per_year"]
    sc = chain.scenarios(table, plans, cpc_kz).set_index("basis")
    vols = analysis.trans_caspian_volumes()
    full = analysis.by_full_year(vols, "volume_mt")
    alt = load_exports_by_route()
    alt = alt[
        (alt["route_id"] == "aktau_btc")
        & (alt["year"] == 2024)
        & (alt["period"] == "full_year")
        & ~alt["preferred"].astype(bool)
    ]
    lengths = chain.leg_lengths(load_legs()).set_index("leg_id")
    btc_mt = load("btc_throughput")
    btc_mt = btc_mt[btc_mt["measure"] == "total_mt"].set_index("year")["value"]
    sh = load("btc_shareholders").set_index("shareholder")["stake_pct"]
    tariffs = load("tariffs").set_index("tariff_id")
    agreements = plans[plans["kind"] == "agreement"]["volume_mt_per_year"]
    implied = analysis.implied_values("btc_throughput").set_index("year")
    cpc_ratio = assume.ratio()
    cpc_now = tariffs[(tariffs["route"] == "CPC")].sort_values("as_of_year")
    # Tengiz to Aktau has no sourced route length: the straight line between the two sites is a lower bound
    tengiz_aktau = chain.straight_line_km("tengiz", "aktau")
    sea_plus_btc = lengths.loc["aktau_sangachal", "schematic_km"] + lengths.loc["btc", "length_km"]
    return {
        "btc_capacity_mbd": float(t.loc["btc_pipeline", "capacity"]) / 1000,
        "kz_btc_2024_other": float(alt["volume_mt"].max()),
        "fleet_half_t": float(t.loc["caspian_tankers", "capacity"]) * 1e6 / 2,
        "tariff_low": float(tariffs.loc["btc_participants", "value_low"]),
        "tariff_high": float(tariffs.loc["btc_participants", "value_high"]),
        "turkey_fee_cents": 100 * float(tariffs.loc["btc_turkey_fee", "value_low"]),
        "btc_ratio": chain.btc_bbl_per_tonne(),
        "btc_capacity_mt": t.loc["btc_pipeline", "capacity_mt"],
        "btc_spare_mt": room["btc_room_mt"],
        "btc_utilisation": t.loc["btc_pipeline", "utilisation_pct"],
        "btc_2016": btc_mt.loc[2016],
        "btc_2018_implied": implied.loc[2018, "value"],
        "btc_2019_fall": -implied.loc[2018, "change_pct"],
        "btc_2018_low": implied.loc[2018, "value_low"],
        "btc_2018_high": implied.loc[2018, "value_high"],
        "cpc_tariff_t": float(cpc_now["value_high"].iloc[-1]),
        "cpc_tariff_year": float(cpc_now["as_of_year"].iloc[-1]),
        "cpc_tariff_bbl": float(cpc_now["value_high"].iloc[-1]) / ((cpc_ratio.low + cpc_ratio.high) / 2),
        "cpc_tariff_2006_low": float(cpc_now["value_low"].iloc[0]),
        "cpc_tariff_2006_high": float(cpc_now["value_high"].iloc[0]),
        "btc_2024": btc_mt.loc[2024],
        "btc_bp": sh.loc["BP"],
        "btc_socar": sh.loc["SOCAR"],
        "kz_btc_2022": full.loc[2022],
        "kz_btc_2023": full.loc[2023],
        "kz_btc_2024": full.loc[2024],
        "kz_btc_2025": full.loc[2025],
        "agreements_above_2025": float((agreements > full.loc[2025]).sum()),
        "agreements_n": float(len(agreements)),
        "agreement_2023": p.loc["kmg_socar_2023"],
        "agreement_2024": p.loc["kmg_socar_2024"],
        "ambition_2027": p.loc["btc_2027"],
        "target_20": p.loc["aktau_kuryk_20"],
        "aktau_capacity": room["berths_capacity_mt"],
        "aktau_use_2023": room["berths_use_mt"],
        "aktau_room": room["room_mt"],
        "aktau_room_share": 100 * room["room_mt"] / cpc_kz,
        "aktau_rebuilt": room["expanded_capacity_mt"],
        "cpc_kz_2025": cpc_kz,
        "ceiling_fleet_share": 100 * room["ceiling_fleet_mt"] / cpc_kz,
        "ceiling_port_share": 100 * room["ceiling_mt"] / cpc_kz,
        "share_2027": sc.loc["btc_2027", "share_of_cpc_pct"],
        "share_target": sc.loc["aktau_kuryk_20", "share_of_cpc_pct"],
        "btc_schematic_km": lengths.loc["btc", "schematic_km"],
        "btc_reported_km": lengths.loc["btc", "length_km"],
        "sea_aktau_km": lengths.loc["aktau_sangachal", "schematic_km"],
        "trans_caspian_km": sea_plus_btc,
        "tengiz_aktau_km": tengiz_aktau,
        "cpc_reported_km": lengths.loc["cpc_pipeline", "length_km"],
        "extra_distance_pct": 100 * ((tengiz_aktau + sea_plus_btc) / lengths.loc["cpc_pipeline", "length_km"] - 1),
    }


def scenarios() -> dict:
    """Chapter 4: the model's room today and with the expansions, and the 2025 outages run through it."""
    today, expanded = model.network_from_data(), model.expansion_network()
    d = assume.model_defaults()
    full_today = model.reroute(today, 1.0, 12)
    full_exp = model.reroute(expanded, 1.0, 12)
    m3 = model.reroute(today, 0.5, 3)
    crossing = sum(v for r, v in full_today.rerouted_mt.items() if not today.avoids_russia(r))
    avoiding = full_today.rerouted_total_mt - crossing
    china = today.routes["kazakhstan_china"]
    hist = model.historical_outages(today).set_index(["event_id", "case"])
    return {
        "cpc_kz": today.cpc_kazakh_mt_per_year,
        "cpc_year": float(d.cpc_year),
        "brent_year": float(d.brent_year),
        "brent_usd": d.brent_usd,
        "model_ratio": d.bbl_per_tonne,
        "room_today": full_today.rerouted_total_mt,
        "room_today_share": 100 * full_today.rerouted_total_mt / today.cpc_kazakh_mt_per_year,
        "room_expanded_share": 100 * full_exp.rerouted_total_mt / expanded.cpc_kazakh_mt_per_year,
        "room_via_russia": crossing,
        "room_avoiding_russia": avoiding,
        "room_avoiding_russia_share": 100 * avoiding / today.cpc_kazakh_mt_per_year,
        "spare_aktau": today.spare_mt_per_year["aktau_berths"],
        "spare_samara": today.spare_mt_per_year["atyrau_samara"],
        "spare_kcp": today.spare_mt_per_year["kcp"],
        "spare_china_chain": min(today.spare_mt_per_year[leg] for leg in china),
        "spare_kenkiyak_atyrau": today.spare_mt_per_year["kenkiyak_atyrau"],
        "half3_lost": m3.lost_mt,
        "month_limit_pct": 100 * model.max_depth_without_shortfall(today, 1),
        "spm2_high_depth": hist.loc[("spm2_2025", "high"), "depth_pct"],
        "spm2_high_shortfall": hist.loc[("spm2_2025", "high"), "shortfall_mt"],
        "krop_high_shortfall": hist.loc[("kropotkinskaya_2025", "high"), "shortfall_mt"],
    }


def conclusions_numbers(checked: pd.DataFrame | None = None, facts: dict | None = None) -> dict:
    """Chapter 5: the verdict counts and the figures its prose recalls from chapters 1-3.

    The recalled figures are taken from the gathering of the data the claims are checked on
    (:func:`oilroutes.conclusions.gather`; the chapter passes the one it checked ``checked`` on), or
    computed by the helpers chapter 2 uses, instead of working out every number of chapters 1-3 again
    for a dozen of them. A test checks that each equals the figure its chapter quotes.
    """
    facts = conclusions.gather() if facts is None else facts  # once: the claims, the timings, the recalled figures
    checked = conclusions.check_claims(facts) if checked is None else checked
    ev = load("cpc_events").set_index("event_id")
    tp = analysis.preferred_throughput()
    btc_full = analysis.by_full_year(analysis.trans_caspian_volumes(), "volume_mt")
    totals = analysis.by_full_year(load_exports_total(preferred_only=True), "exports_mt")
    counts = _event_counts(ev)
    out = conclusions.verdict_counts(checked)
    out.update(conclusions.storm_said(facts))
    out.update(conclusions.court_timing(facts))
    out.update(
        {
            "russia_low_2022": facts["russia_low_2022"],
            "russia_high_2022": facts["russia_high_2022"],
            "russia_low_2024": facts["russia_low_2024"],
            "storm_stop_days": facts["storm_stop_days"],
            "storm_total_days": _storm_total_days(ev),
            "storm_mt_low": facts["storm_mt_low"],
            "storm_mt_high": facts["storm_mt_high"],
            "n_events": counts["n_events"],
            "n_military": counts["n_military"],
            "tp_2025": tp.loc[(2025, "total")],
            **_attacks_reported(losses.model_vs_reported()),
            "exports_2021": float(totals.loc[2021]),
            "exports_2025": float(totals.loc[2025]),
            "germany_2025": analysis.value(load("buyers"), "value", country="Germany", period="2025"),
            "kz_btc_2025": btc_full.loc[2025],
            "eu_share_2024": facts["eu_share_2024"],
        }
    )
    return out


#: Which function serves which chapter (the test that keeps names and prose in step reads this).
CHAPTERS = {
    "00_introduction": introduction,
    "01_dependence_on_russia": dependence,
    "02_cpc_disruptions": cpc,
    "03_btc_alternative": btc,
    "04_scenarios": scenarios,
    "05_conclusions": conclusions_numbers,
}
