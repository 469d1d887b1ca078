"""The 2022 article's claims, each checked against the book's data with a stated rule.

Every verdict is one of: supported, partly, not supported, outdated, or
unverified (the book found no source to test the claim). Each rule is a small
function with its tolerance written in :data:`RULES`; every date, count and
comparison in the evidence text is computed from the data, so the table changes
when the data do. Two principles run through the rules:

* a claim about what was *said* is judged against what was said
  (``statements.csv``), and what *happened* is reported beside it;
* a proxy (oil and gas for oil, volume for revenue) earns at most "partly".

Where sources disagree on a date the claim depends on (``date_variants.csv``),
the rule is applied to every reading and the spread is stated.
"""

from __future__ import annotations

from itertools import product

import pandas as pd

from . import analysis, chain, text
from . import assumptions as assume
from .data import load, load_exports_total
from .losses import event_losses
from .units import DAYS_PER_MONTH, mt_per_year_to_kbd

VERDICTS = ("supported", "partly", "not supported", "outdated", "unverified")

#: The thresholds and tolerances of the rules, quoted in the chapter.
RULES = {
    "almost_all_pct": 90,  # "almost all" means at least this share, on the certain (low) count
    "half_pct": 50,
    "two_thirds_pct": 200 / 3,
    "one_day_tolerance_days": 1,  # "one day after" holds for 0-2 days
    "months_said": 2,  # "for months": at least two months stated
    "halt_cut_pct": 90,  # "could not handle" the oil: a cut of at least this share
    "deep_cut_pct": 50,  # a deep cut short of a halt earns "partly"
    "alternative_share_pct": 50,  # an alternative to CPC carries at least this share of its Kazakh volume
}


def _dates(resource: str, row_id: str, field: str, base) -> list[tuple[pd.Timestamp, str]]:
    """The book's date and every variant a source gives, each with its source keys."""
    v = load("date_variants")
    v = v[(v["resource"] == resource) & (v["row_id"] == row_id) & (v["field"] == field)]
    return [(pd.Timestamp(base[0]), base[1])] + [
        (pd.Timestamp(d), s) for d, s in zip(v["date"], v["source"], strict=True)
    ]


def _flow_kbd(year: int) -> float:
    """CPC's total throughput in ``year`` in thousand barrels a day, at CPC Blend's ratio."""
    t = load("cpc_throughput")
    t = t[(t["measure"] == "total") & t["preferred"].astype(bool)].set_index("year")["volume_mt"]
    return mt_per_year_to_kbd(float(t.loc[year]), assume.ratio().mid)


def gather() -> dict:
    """Everything the rules look at, computed from the data package."""
    split = analysis.route_split()
    share = analysis.russia_share(split).set_index("year")
    totals = analysis.by_full_year(load_exports_total(preferred_only=True), "exports_mt")
    eu = load("eu_supply")
    econ = load("oil_economy").set_index(["year", "indicator"])
    ev = load("cpc_events").set_index("event_id")
    ctx = load("political_context").set_index("event_id")
    est = event_losses().set_index("event_id")
    phases = load("cpc_event_phases")
    table = chain.chain_table()
    room = chain.trans_caspian_room(table)
    cpc_year, cpc_kz = assume.cpc_kazakh_volume()
    btc = analysis.trans_caspian_volumes()
    btc_full = analysis.by_full_year(btc, "volume_mt")
    plans = load("trans_caspian_plans")
    agreements = plans[plans["kind"] == "agreement"]
    tp = analysis.preferred_throughput()
    storm_phases = phases[phases["event_id"] == "storm_2022"]
    full_stop = storm_phases[storm_phases["phase"] == "full stop"]
    one_mooring = storm_phases[storm_phases["phase"] == "one mooring"]
    statements = load("statements")
    events_since_2023 = ev[ev["start_date"].dt.year >= 2023]["event_type"].value_counts()
    latest_share = int(share.index.max())
    return {
        "eu_rank_2024": int(analysis.value(eu, "value", period="2024", indicator="rank_among_eu_suppliers")),
        "eu_share_2024": float(analysis.value(eu, "value", period="2024", indicator="share_of_eu_oil_imports")),
        "oil_gas_share_2022": float(econ.loc[(2022, "oil_gas_share_of_exports"), "value"]),
        "oil_gas_source": econ.loc[(2022, "oil_gas_share_of_exports"), "source"],
        "exports_2023": float(totals.loc[2023]),
        "eu_2023": float(analysis.value(eu, "value", period="2023", indicator="kazakh_exports_to_eu")),
        "europe_2023": float(analysis.value(eu, "value", period="2023", indicator="kazakh_exports_to_europe")),
        "russia_low_2022": float(share.loc[2022, "share_low_pct"]),
        "russia_high_2022": float(share.loc[2022, "share_high_pct"]),
        "russia_low_2024": float(share.loc[2024, "share_low_pct"]),
        "russia_2024_label": share.loc[2024, "year_label"],
        "latest_share_year": latest_share,
        "russia_low_latest": float(share.loc[latest_share, "share_low_pct"]),
        "russia_high_latest": float(share.loc[latest_share, "share_high_pct"]),
        "call": _dates(
            "political_context",
            "michel_call_2022",
            "date",
            (ctx.loc["michel_call_2022", "date"], ctx.loc["michel_call_2022", "source"]),
        ),
        "court": _dates("cpc_events", "court_2022", "start_date", (ev.loc["court_2022", "start_date"], "rfp2022court")),
        "court_end": pd.Timestamp(ev.loc["court_2022", "end_date"]),
        "court_loss_mt": float(est.loc["court_2022", "lost_mt_high"]),
        "storm_start": pd.Timestamp(ev.loc["storm_2022", "start_date"]),
        "storm_end": pd.Timestamp(ev.loc["storm_2022", "end_date"]),
        "storm_stop_days": int((full_stop["end_date"].max() - full_stop["start_date"].min()).days + 1),
        "storm_one_mooring_start": pd.Timestamp(one_mooring["start_date"].min()),
        "storm_one_mooring_days": int((one_mooring["end_date"].max() - one_mooring["start_date"].min()).days + 1),
        "storm_mt_low": float(est.loc["storm_2022", "lost_mt_low"]),
        "storm_mt_high": float(est.loc["storm_2022", "lost_mt_high"]),
        "storm_statements": statements[statements["claim_id"] == "storm_months"],
        "flow_2021_kbd": _flow_kbd(2021),
        "btc_room": float(room["btc_room_mt"]),
        "ceiling_share": 100 * room["ceiling_mt"] / cpc_kz,
        "cpc_kz": cpc_kz,
        "cpc_year": cpc_year,
        "kz_btc_latest_year": int(btc_full.index.max()),
        "kz_btc_latest": float(btc_full.loc[btc_full.index.max()]),
        "agreements": agreements,
        "exports_2021": float(totals.loc[2021]),
        "exports_latest_year": int(totals.index.max()),
        "exports_latest": float(totals.loc[totals.index.max()]),
        "cpc_latest_year": int(max(y for y, m in tp.index if m == "total")),
        "cpc_record": float(tp.xs("total", level="measure").max()),
        "cpc_latest": float(tp.loc[(max(y for y, m in tp.index if m == "total"), "total")]),
        "military_since_2023": int(events_since_2023.get("military", 0)),
        "legal_since_2023": int(events_since_2023.get("legal_regulatory", 0)),
        "events_since_2023": int(events_since_2023.sum()),
    }


def _said_cut_pct(row, flow_kbd: float) -> float:
    ref = row.reference_kbd if not pd.isna(row.reference_kbd) else flow_kbd
    return 100 * (row.value_kbd if row.effect == "cut" else ref - row.value_kbd) / ref


def storm_said(facts: dict | None = None) -> dict[str, float]:
    """What Russian officials said of the March 2022 storm: the range of the cuts they spoke of (%) and of the months."""
    f = gather() if facts is None else facts
    said = f["storm_statements"]
    cuts = [_said_cut_pct(s, f["flow_2021_kbd"]) for s in said.itertuples()]
    return {
        "said_cut_low": min(cuts),
        "said_cut_high": max(cuts),
        "said_months_high": float(said["months_high"].max()),
    }


def court_timing(facts: dict | None = None) -> dict[str, float]:
    """Days from the Tokayev–Michel call to the court's ruling (each source's dates), and from the ruling to the fine."""
    f = gather() if facts is None else facts
    gaps = [(k[0] - c[0]).days for c, k in product(f["call"], f["court"])]
    return {
        "court_gap_low": min(gaps),
        "court_gap_high": max(gaps),
        "court_days": (f["court_end"] - f["court"][0][0]).days,
    }


def check_claims(facts: dict | None = None) -> pd.DataFrame:
    """One row per claim: the claim, the evidence (computed), a verdict, how each dated reading fares, and sources."""
    f = gather() if facts is None else facts
    r = RULES
    claims = load("article_claims").set_index("claim_id")
    rows = []

    def add(cid, evidence, verdict, sources, readings=""):
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        rows.append(
            dict(
                claim_id=cid,
                claim=claims.loc[cid, "claim"],
                evidence=evidence,
                verdict=verdict,
                readings=readings,
                sources=sources,
            )
        )

    add(
        "ninth_exporter",
        "No citable world ranking of crude exporters was found. What the data do show: Kazakhstan was the EU's "
        f"{text.ordinal(f['eu_rank_2024'])} supplier of oil in 2024, with {text.num(f['eu_share_2024'], 1)}% of its imports.",
        "unverified",
        "eurostat2024year",
    )

    above = f["oil_gas_share_2022"] > r["half_pct"]
    add(
        "oil_half_exports",
        f"Oil and gas together were {text.num(f['oil_gas_share_2022'])}% of total exports in 2022 (the Bureau of National "
        "Statistics, as cited by the source). No series for crude alone was found, so this is a proxy, and a proxy earns at "
        "most 'partly'.",
        "partly" if above else "not supported",
        f["oil_gas_source"],
    )

    eu_pct = 100 * f["eu_2023"] / f["exports_2023"]
    europe_pct = 100 * f["europe_2023"] / f["exports_2023"]
    add(
        "europe_two_thirds",
        f"By volume, the EU took {text.num(f['eu_2023'], 1)} Mt of the {text.num(f['exports_2023'], 1)} Mt exported in 2023 "
        f"({text.num(eu_pct)}%, {'above' if eu_pct > r['two_thirds_pct'] else 'below'} two-thirds) and Europe as a whole "
        f"{text.num(f['europe_2023'])} Mt ({text.num(europe_pct)}%). Revenue by buyer is not published, so volume is a proxy "
        "and earns at most 'partly'.",
        "partly" if max(eu_pct, europe_pct) > r["two_thirds_pct"] else "not supported",
        "trend2024eu;g4media2024europe",
    )

    add(
        "via_russia",
        f"Between {text.num(f['russia_low_2022'])}% and {text.num(f['russia_high_2022'])}% of 2022's exports crossed Russia "
        f"(the rule: at least {r['almost_all_pct']}% on the certain count); {text.num(f['russia_low_2024'])}% of the volumes "
        f"itemised for {f['russia_2024_label'].replace('2024 (', '').rstrip(')')} 2024, for which no total was published.",
        "supported" if f["russia_low_2022"] >= r["almost_all_pct"] else "partly",
        "nus2025;trend2024routes",
    )

    tol = r["one_day_tolerance_days"]
    pairs = [(c, k, (k[0] - c[0]).days) for c, k in product(f["call"], f["court"])]
    ok = [abs(gap - 1) <= tol for _, _, gap in pairs]
    verdict = "supported" if all(ok) else "partly" if any(ok) else "not supported"
    gaps = sorted({gap for _, _, gap in pairs})
    readings = "; ".join(
        f"call {text.date(c[0])}, ruling {text.date(k[0])}: {text.count(gap, 'day')} → "
        f"{'supported' if abs(gap - 1) <= tol else 'not supported'}"
        for c, k, gap in pairs
    )
    court_days = court_timing(f)["court_days"]
    add(
        "court_after_call",
        f"The call is dated {text.alternatives([text.date(c[0]) for c in f['call']])} and the ruling "
        f"{text.alternatives([text.date(k[0]) for k in f['court']])} by different sources: "
        f"{text.alternatives([text.count(g, 'day') for g in gaps])} later (the rule allows a day either way). The suspension "
        f"was replaced by a fine {text.count(court_days, 'day')} after the ruling, and the estimated loss was "
        f"{text.num(f['court_loss_mt'], 1)} Mt: loading did not stop.",
        verdict,
        "trtworld2022;rfp2022court;astanatimes2022courtlift",
        readings,
    )

    said = f["storm_statements"]
    cuts = [_said_cut_pct(s, f["flow_2021_kbd"]) for s in said.itertuples()]
    months = list(said["months_high"])
    each = [
        "supported"
        if m >= r["months_said"] and c >= r["halt_cut_pct"]
        else "partly"
        if m >= 1 and c >= r["deep_cut_pct"]
        else "not supported"
        for m, c in zip(months, cuts, strict=True)
    ]
    best = min(each, key=VERDICTS.index) if each else "unverified"
    said_text = "; ".join(
        f"{s.who}, spoke of a cut of about {text.num(c)}% for up to {text.count(s.months_high, 'month')}"
        for s, c in zip(said.itertuples(), cuts, strict=True)
    )
    total_days = (f["storm_end"] - f["storm_start"]).days + 1
    add(
        "storm_months",
        f"What was said: {said_text}: months, but a deep cut rather than a halt (a halt needs {r['halt_cut_pct']}%). "
        f"What happened: loading stopped for {text.count(f['storm_stop_days'], 'day')}, ran through one mooring from "
        f"{text.date(f['storm_one_mooring_start'])} for {text.count(f['storm_one_mooring_days'], 'day')}, and the normal "
        f"two-mooring operation returned after {text.count(total_days, 'day')} ({text.num(total_days / DAYS_PER_MONTH, 1)} months); "
        f"the estimated loss was {text.span(f['storm_mt_low'], f['storm_mt_high'], 1)} Mt.",
        best,
        ";".join(dict.fromkeys(said["source"].tolist() + ["interfax2022storm", "interfax2022spm3back"])),
        "; ".join(f"{s.who}: {v}" for s, v in zip(said.itertuples(), each, strict=True)),
    )

    ag = f["agreements"]
    below = ag[ag["volume_mt_per_year"] > f["kz_btc_latest"]]["volume_mt_per_year"]
    met = ag[ag["volume_mt_per_year"] <= f["kz_btc_latest"]]["volume_mt_per_year"]
    mt = lambda vs: text.alternatives([f"{text.num(v, 2).rstrip('0').rstrip('.')} Mt" for v in vs]).replace(
        " or ", " and "
    )  # noqa: E731
    ag_text = (
        f"below {'every agreement' if met.empty else f'the {mt(below)} agreement' + ('s' if len(below) > 1 else '')}"
        if len(below)
        else "at or above every agreement"
    )
    if len(below) and len(met):
        ag_text += f" but at or above the others ({mt(met)})"
    verdict = (
        "not supported"
        if f["btc_room"] <= 0
        else "supported"
        if f["ceiling_share"] >= r["alternative_share_pct"]
        else "partly"
    )
    add(
        "btc_alternative",
        f"BTC had room for about {text.num(f['btc_room'])} Mt a year, but Kazakh volumes were "
        f"{text.num(f['kz_btc_latest'], 1)} Mt in {f['kz_btc_latest_year']}, {ag_text}, and Aktau's oil berths cap the chain at "
        f"{text.num(f['ceiling_share'])}% of CPC's Kazakh volume (an alternative needs {r['alternative_share_pct']}%).",
        verdict,
        "bpbtc;qazinform2025btc;dayaz2026aktau;portnews2023aktau",
    )

    rose = f["exports_latest"] > f["exports_2021"]
    overlap = f["russia_low_latest"] <= f["russia_high_2022"] and f["russia_low_2022"] <= f["russia_high_latest"]
    fell = f["russia_high_latest"] < f["russia_low_2022"]
    dep = "fell" if fell else "cannot be shown to have fallen" if overlap else "rose"
    verdict = "not supported" if not rose else "supported" if fell else "partly"
    add(
        "pressure_failed",
        f"Exports {text.direction(f['exports_2021'], f['exports_latest'])} from {text.num(f['exports_2021'], 1)} Mt (2021) to "
        f"{text.num(f['exports_latest'], 1)} Mt ({f['exports_latest_year']}), and CPC carried "
        f"{text.num(f['cpc_latest'], 1)} Mt in {f['cpc_latest_year']}"
        f"{', a record' if f['cpc_latest'] >= f['cpc_record'] else ''}. But the share crossing Russia "
        f"{dep}: {text.num(f['russia_low_2022'])}–{text.num(f['russia_high_2022'])}% in 2022, "
        f"{text.num(f['russia_low_latest'])}–{text.num(f['russia_high_latest'])}% in {f['latest_share_year']}. Of the "
        f"{f['events_since_2023']} disruptions since 2023, {f['military_since_2023']} were military and "
        f"{f['legal_since_2023']} legal or regulatory.",
        verdict,
        "efe2026exports;tportal2026cpc",
    )
    return pd.DataFrame(rows)


def verdict_counts(checked: pd.DataFrame) -> dict[str, float]:
    """How many claims earned each verdict, keyed n_supported, n_partly, ..."""
    counts = checked["verdict"].value_counts()
    out = {f"n_{v.replace(' ', '_')}": float(counts.get(v, 0)) for v in VERDICTS}
    out["n_claims"] = float(len(checked))
    return out
