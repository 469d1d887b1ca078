"""A route-capacity model: when CPC loses capacity, how much can the other routes take?

For a CPC outage of a given depth (share of CPC's Kazakh flow lost) and length
(months), the lost volume is offered to the alternative export routes. Each
route is a chain of legs; each leg has spare capacity (capacity minus current
use, from ``chain_legs.csv``), scaled to the outage's length. Legs can be
shared (the Aktau berths serve the tankers to Baku and to Makhachkala), so the
rerouting is solved as a linear program: maximise the volume rerouted subject
to every leg's spare capacity. A chain therefore never carries more than its
tightest leg. Whatever cannot be rerouted is the shortfall; its value at a
stated Brent price and barrels-per-tonne ratio is the revenue at risk.

Assumptions, shown in the chapter: spare capacity is available in full and at
once; every alternative can receive the oil the CPC fields produce (feeder
links such as Kenkiyak–Kumkol are not modelled); rail is left out because its
capacity is not published; costs do not enter the choice. The program is
solved twice: first for the largest volume that can be rerouted at all, then,
holding that volume, for the split that prefers the routes listed first in
``ROUTES`` (the routes that avoid Russia come first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .chain import chain_table
from .data import load

# Alternative routes and the legs (chain_legs.leg_id) each one uses, in order of preference.
ROUTES: dict[str, tuple[str, ...]] = {
    "aktau_btc": ("aktau_berths", "btc_pipeline"),
    "aktau_supsa": ("aktau_berths", "baku_supsa"),
    "atyrau_samara": ("atyrau_samara",),
    "kazakhstan_china": ("kcp",),
    "aktau_makhachkala": ("aktau_berths",),
}


@dataclass(frozen=True)
class Network:
    """Spare capacity per leg (Mt a year) and the routes that use each leg."""

    spare_mt_per_year: dict[str, float]
    routes: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(ROUTES))
    cpc_kazakh_mt_per_year: float = 63.8

    def __post_init__(self):
        for name, legs in self.routes.items():
            missing = [leg for leg in legs if leg not in self.spare_mt_per_year]
            if missing:
                raise KeyError(f"route {name} uses legs with no capacity: {missing}")
        if any(v < 0 for v in self.spare_mt_per_year.values()):
            raise ValueError("spare capacity cannot be negative")
        if self.cpc_kazakh_mt_per_year <= 0:
            raise ValueError("CPC's Kazakh volume must be positive")


def network_from_data(include_tankers: bool = False, overrides: dict[str, float] | None = None) -> Network:
    """The network as the data package describes it (latest use figure per leg).

    ``include_tankers`` adds the dedicated Caspian tanker fleet (an estimate) as a
    leg of both Trans-Caspian routes. ``overrides`` replaces a leg's spare capacity,
    for the expansion scenarios.
    """
    t = chain_table().set_index("leg_id")
    spare = {leg: max(float(t.loc[leg, "spare_mt"]), 0.0) for leg in
             ("aktau_berths", "btc_pipeline", "baku_supsa", "atyrau_samara", "kcp")}
    routes = dict(ROUTES)
    if include_tankers:
        spare["caspian_tankers"] = max(float(t.loc["caspian_tankers", "spare_mt"]), 0.0)
        routes["aktau_btc"] = ("aktau_berths", "caspian_tankers", "btc_pipeline")
        routes["aktau_supsa"] = ("aktau_berths", "caspian_tankers", "baku_supsa")
    spare.update(overrides or {})
    return Network(spare, routes, float(t.loc["cpc_kazakh_section", "use_mt"]))


def expansion_network(include_tankers: bool = False) -> Network:
    """The announced expansions: Aktau's berths 9 and 10 restored (12.5 Mt/yr)."""
    t = chain_table().set_index("leg_id")
    aktau_spare = float(t.loc["aktau_berths_rebuilt", "capacity_mt"]) - float(t.loc["aktau_berths", "use_mt"])
    return network_from_data(include_tankers, overrides={"aktau_berths": aktau_spare})


@dataclass(frozen=True)
class Outcome:
    depth: float
    months: float
    lost_mt: float
    rerouted_mt: dict[str, float]
    shortfall_mt: float
    revenue_at_risk_musd: float

    @property
    def rerouted_total_mt(self) -> float:
        return float(sum(self.rerouted_mt.values()))


def reroute(net: Network, depth: float, months: float, brent_usd: float = 69.04, bbl_per_tonne: float = 7.5) -> Outcome:
    """Reroute a CPC outage of ``depth`` (0-1 of CPC's Kazakh flow) lasting ``months`` (0-12)."""
    if not 0 <= depth <= 1:
        raise ValueError(f"depth must lie between 0 and 1, got {depth}")
    if not 0 <= months <= 12:
        raise ValueError(f"months must lie between 0 and 12, got {months}")
    if brent_usd < 0:
        raise ValueError("the price cannot be negative")
    lost = depth * net.cpc_kazakh_mt_per_year * months / 12
    names = list(net.routes)
    legs = sorted({leg for r in names for leg in net.routes[r]})
    if lost <= 0 or not names:
        return Outcome(depth, months, 0.0, {r: 0.0 for r in names}, 0.0, 0.0)
    a_ub = [[1.0 if leg in net.routes[r] else 0.0 for r in names] for leg in legs]
    b_ub = [net.spare_mt_per_year[leg] * months / 12 for leg in legs]
    a_ub.append([1.0] * len(names))
    b_ub.append(lost)
    bounds = [(0, None)] * len(names)
    # 1) the most that can be rerouted at all
    first = linprog(-np.ones(len(names)), A_ub=np.array(a_ub), b_ub=np.array(b_ub), bounds=bounds, method="highs")
    if not first.success:
        raise RuntimeError(f"rerouting failed: {first.message}")
    best = -first.fun
    # 2) among the ways of rerouting that much, the one that prefers the routes listed first
    a2 = np.vstack([a_ub, -np.ones(len(names))])
    b2 = np.append(b_ub, -best + 1e-9 * max(1.0, best))
    pref = np.arange(1, len(names) + 1, dtype=float)
    res = linprog(pref, A_ub=a2, b_ub=b2, bounds=bounds, method="highs")
    if not res.success:
        res = first
    x = np.clip(res.x, 0, None)
    rerouted = {r: float(v) for r, v in zip(names, x)}
    shortfall = lost - float(x.sum())
    shortfall = 0.0 if shortfall < 1e-7 * max(1.0, lost) else shortfall  # solver tolerance, not oil
    return Outcome(depth, months, lost, rerouted, shortfall, shortfall * 1e6 * bbl_per_tonne * brent_usd / 1e6)


def grid(net: Network, depths=None, months=None, brent_usd: float = 69.04, bbl_per_tonne: float = 7.5,
         scenario: str = "Today") -> pd.DataFrame:
    """Outcomes over a grid of depths and lengths, long format (one row per route, plus shortfall)."""
    depths = np.round(np.arange(0, 1.0001, 0.1), 2) if depths is None else depths
    months = list(range(1, 13)) if months is None else months
    rows = []
    for d in depths:
        for m in months:
            o = reroute(net, float(d), float(m), brent_usd, bbl_per_tonne)
            for r, v in o.rerouted_mt.items():
                rows.append(dict(scenario=scenario, depth_pct=int(round(100 * d)), months=int(m), route_id=r, volume_mt=v,
                                 kind="rerouted", lost_mt=o.lost_mt, shortfall_mt=o.shortfall_mt,
                                 revenue_at_risk_musd=o.revenue_at_risk_musd))
            rows.append(dict(scenario=scenario, depth_pct=int(round(100 * d)), months=int(m), route_id="shortfall",
                             volume_mt=o.shortfall_mt, kind="shortfall", lost_mt=o.lost_mt, shortfall_mt=o.shortfall_mt,
                             revenue_at_risk_musd=o.revenue_at_risk_musd))
    return pd.DataFrame(rows)


def historical_outages(net: Network, brent: pd.DataFrame | None = None, bbl_per_tonne: float = 7.5) -> pd.DataFrame:
    """Run the CPC events whose cut was reported as a share of throughput through the model."""
    from .losses import event_losses

    brent = (load("brent_prices") if brent is None else brent).set_index("year")["usd_per_bbl"]
    ev = load("cpc_events").set_index("event_id")
    losses = event_losses()
    rows = []
    for r in losses[(losses["effect_unit"] == "pct") & (losses["effect_high"] > 0)].itertuples():
        months = min(r.days / 30.4375, 12.0)
        for label, share in (("low", r.effect_low), ("high", r.effect_high)):
            o = reroute(net, share / 100, months, float(brent.loc[r.start_date.year]), bbl_per_tonne)
            rows.append(dict(event_id=r.event_id, title=ev.loc[r.event_id, "title"], case=label, depth_pct=share,
                             months=round(months, 2), lost_mt=o.lost_mt, rerouted_mt=o.rerouted_total_mt,
                             shortfall_mt=o.shortfall_mt, revenue_at_risk_musd=o.revenue_at_risk_musd,
                             **{f"via_{k}": v for k, v in o.rerouted_mt.items()}))
    return pd.DataFrame(rows)


SCENARIO_NAMES = ("Capacity today", "With the announced expansions")


def scenario_grid(include_tankers: bool = False) -> pd.DataFrame:
    """The precomputed grid behind the scenario chart: today's network and the expanded one."""
    return pd.concat([grid(network_from_data(include_tankers), scenario=SCENARIO_NAMES[0]),
                      grid(expansion_network(include_tankers), scenario=SCENARIO_NAMES[1])], ignore_index=True)


def scenario_numbers() -> dict[str, float]:
    """The figures chapter 4 quotes."""
    today, expanded = network_from_data(), expansion_network()
    hist = historical_outages(today).set_index(["event_id", "case"])
    full_today = reroute(today, 1.0, 12)
    full_exp = reroute(expanded, 1.0, 12)
    m3 = reroute(today, 0.5, 3)
    via_russia = full_today.rerouted_mt["atyrau_samara"] + full_today.rerouted_mt["aktau_makhachkala"]
    return {
        "cpc_kz": today.cpc_kazakh_mt_per_year,
        "room_today": full_today.rerouted_total_mt,
        "room_today_share": 100 * full_today.rerouted_total_mt / today.cpc_kazakh_mt_per_year,
        "room_expanded": full_exp.rerouted_total_mt,
        "room_expanded_share": 100 * full_exp.rerouted_total_mt / expanded.cpc_kazakh_mt_per_year,
        "room_via_russia": via_russia,
        "room_avoiding_russia": full_today.rerouted_total_mt - via_russia,
        "room_avoiding_russia_share": 100 * (full_today.rerouted_total_mt - via_russia) / today.cpc_kazakh_mt_per_year,
        "spare_aktau": today.spare_mt_per_year["aktau_berths"],
        "spare_samara": today.spare_mt_per_year["atyrau_samara"],
        "spare_kcp": today.spare_mt_per_year["kcp"],
        "half3_lost": m3.lost_mt,
        "half3_shortfall": m3.shortfall_mt,
        "half3_revenue": m3.revenue_at_risk_musd,
        "krop_high_pct": hist.loc[("kropotkinskaya_2025", "high"), "depth_pct"],
        "krop_high_lost": hist.loc[("kropotkinskaya_2025", "high"), "lost_mt"],
        "krop_high_shortfall": hist.loc[("kropotkinskaya_2025", "high"), "shortfall_mt"],
        "krop_high_revenue": hist.loc[("kropotkinskaya_2025", "high"), "revenue_at_risk_musd"],
        "spm2_shortfall": hist.loc[("spm2_2025", "high"), "shortfall_mt"],
    }
