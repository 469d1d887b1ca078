"""The 2022 article's claims, each checked against the book's data with a stated rule.

Every verdict is one of: supported, partly, not supported, outdated, or
unverified (the book found no source to test the claim). The evidence text is
built from the data, so it changes when the data do.
"""

from __future__ import annotations

import pandas as pd

from . import analysis
from .data import load

VERDICTS = ("supported", "partly", "not supported", "outdated", "unverified")


def _fmt(v: float, d: int = 0) -> str:
    return f"{v:,.{d}f}"


def evidence() -> dict[str, dict[str, float]]:
    """The key numbers of chapters 1-3, computed once for the claims and for the prose."""
    return {"dep": analysis.dependence_numbers(), "cpc": analysis.cpc_numbers(), "btc": analysis.btc_numbers()}


def check_claims(numbers: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """One row per claim: the claim, the evidence (with figures from the data), a verdict and sources."""
    numbers = evidence() if numbers is None else numbers
    dep, cpc, btc = numbers["dep"], numbers["cpc"], numbers["btc"]
    claims = load("article_claims").set_index("claim_id")
    rows = []

    def add(cid, evidence, verdict, sources):
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        rows.append(dict(claim_id=cid, claim=claims.loc[cid, "claim"], evidence=evidence, verdict=verdict, sources=sources))

    add("ninth_exporter",
        "No citable world ranking of crude exporters was found. What the data do show: Kazakhstan was the EU's "
        f"{_fmt(dep['eu_rank_2024'])}rd supplier of oil in 2024, with {_fmt(dep['eu_share_2024'], 1)}% of its imports.",
        "unverified", "eurostat2024year")
    add("oil_half_exports",
        f"Oil and gas were {_fmt(dep['oil_gas_share_exports_2022'])}% of total exports in 2022 (national statistics). "
        "No series for crude alone was found, so 'oil' here means oil and gas.",
        "supported" if dep["oil_gas_share_exports_2022"] > 50 else "not supported", "nus2025")
    add("europe_two_thirds",
        f"The EU took {_fmt(dep['eu_exports_2023'], 1)} Mt of the {_fmt(dep['exports_2023'], 1)} Mt exported in 2023 "
        f"({_fmt(dep['eu_share_of_exports_2023'])}% by volume) and Europe as a whole {_fmt(dep['europe_exports_2023'])} Mt "
        f"({_fmt(dep['europe_share_of_exports_2023'])}%); revenue shares by buyer are not published.",
        "supported" if dep["europe_share_of_exports_2023"] > 200 / 3 else "partly", "trend2024eu;g4media2024europe")
    add("via_russia",
        f"Between {_fmt(dep['russia_low_2022'])}% and {_fmt(dep['russia_high_2022'])}% of 2022's exports crossed Russia; "
        f"{_fmt(dep['russia_low_2024'])}% in January–October 2024, with every route itemised.",
        "supported" if dep["russia_low_2022"] > 90 else "partly", "nus2025;trend2024routes")
    add("court_after_call",
        f"The call was on 4 July 2022 and the ruling {_fmt(cpc['days_call_to_court'])} day later; the suspension was "
        f"replaced by a fine {_fmt(cpc['days_court_to_reversal'])} days after the ruling and loading did not stop.",
        "supported" if cpc["days_call_to_court"] == 1 else "not supported", "trtworld2022;astanatimes2022courtlift")
    add("storm_months",
        "Loading stopped on 23 March 2022 and resumed through SPM-1 on 28 March; the last mooring returned "
        f"after {_fmt(cpc['days_storm_2022'])} days; the estimated loss was {_fmt(cpc['storm_mt_low'], 1)}–{_fmt(cpc['storm_mt_high'], 1)} Mt, not months of exports.",
        "not supported" if cpc["days_storm_2022"] < 60 else "supported", "interfax2022storm")
    add("btc_alternative",
        f"BTC had room for about {_fmt(btc['btc_spare_mt'])} Mt a year, but Kazakh volumes stayed near "
        f"{_fmt(btc['kz_btc_2024'], 1)} Mt, below every agreement, and Aktau's berths cap the chain at "
        f"{_fmt(btc['ceiling_port_share'])}% of CPC's Kazakh volume.",
        "partly", "bpbtc;qazinform2025btc;portnews2023aktau")
    add("pressure_failed",
        f"Exports rose from {_fmt(dep['exports_2021'], 1)} Mt (2021) to {_fmt(dep['exports_2025'], 1)} Mt (2025) and CPC set a record "
        f"of {_fmt(cpc['tp_2025'], 1)} Mt in 2025; but the dependence on Russian routes did not fall, and since 2023 the "
        "disruptions have come mainly from the war, not from Moscow's regulators.",
        "partly", "efe2026exports;tportal2026cpc")
    return pd.DataFrame(rows)


def conclusion_numbers(checked: pd.DataFrame | None = None,
                       numbers: dict[str, dict[str, float]] | None = None) -> dict[str, float]:
    """The figures the conclusions quote: the verdict counts and the key numbers of chapters 1-3."""
    numbers = evidence() if numbers is None else numbers
    checked = check_claims(numbers) if checked is None else checked
    counts = checked["verdict"].value_counts()
    out = {f"n_{v.replace(' ', '_')}": float(counts.get(v, 0)) for v in VERDICTS}
    out["n_claims"] = float(len(checked))
    for group in numbers.values():
        out.update({k: float(v) for k, v in group.items()})
    return out
