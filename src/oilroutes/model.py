"""A route-capacity model: when CPC loses capacity, how much can the other routes take?

For a CPC outage of a given depth (share of CPC's Kazakh flow lost) and length
(months), the lost volume is offered to the alternative export routes. Each
route is a chain of legs; each leg has spare capacity (capacity minus current
use, from ``chain_legs.csv``), scaled to the outage's length. Legs can be
shared (the Aktau berths serve the tankers to Baku and to Makhachkala), so the
rerouting is solved as a linear program: maximise the volume rerouted subject
to every leg's spare capacity. A chain therefore never carries more than its
tightest leg. Whatever cannot be rerouted is the shortfall; its value at the
latest Brent price and CPC Blend's barrels per tonne is the revenue at risk.

**Preference.** The program is solved twice: first for the largest volume that
can be rerouted at all, then, holding that volume, for the split that sends as
little as possible across Russia. The preference is read from the data
(``routes.crosses_russia``: routes that avoid Russia first, then those that
partly cross it, then those that cross it), never from the order of the code.
So no route that crosses Russia carries oil while a route that avoids it still
has room on every one of its legs (a property test checks this).

**Western crude to China.** The oil CPC carries comes from the western fields.
It reaches the Kazakhstan–China pipeline only through Kenkiyak–Atyrau and
Kenkiyak–Kumkol, so the China route is the chain of those two links and the
pipeline to Alashankou; its room is the tightest of the three.

Assumptions, shown in the chapter: spare capacity is available in full and at
once; rail is left out because its capacity is not published; costs do not
enter the choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import assumptions as assume
from .chain import chain_table, trans_caspian_room
from .data import derived, load, load_routes
from .units import DAYS_PER_MONTH, MONTHS_PER_YEAR

#: The legs (chain_legs.leg_id) each alternative route uses, from the field to the sea or the border.
ROUTE_LEGS: dict[str, tuple[str, ...]] = {
    "aktau_btc": ("aktau_berths", "btc_pipeline"),
    "aktau_supsa": ("aktau_berths", "baku_supsa"),
    "atyrau_samara": ("atyrau_samara",),
    "kazakhstan_china": ("kenkiyak_atyrau", "kenkiyak_kumkol", "kcp"),
    "aktau_makhachkala": ("aktau_berths",),
}

#: How strongly the rerouting avoids each value of ``routes.crosses_russia`` (lower is preferred).
RUSSIA_TIERS = {"no": 0, "partly": 1, "unknown": 1, "yes": 2}

#: Depths on the scenario grid: every 5 per cent.
DEPTH_STEP_PCT = 5


@dataclass(frozen=True)
class Network:
    """Spare capacity per leg (Mt a year), the legs of each route, and whether each route crosses Russia."""

    spare_mt_per_year: dict[str, float]
    routes: dict[str, tuple[str, ...]]
    crosses_russia: dict[str, str]
    cpc_kazakh_mt_per_year: float
    order: tuple[str, ...] = field(default=())

    def __post_init__(self):
        for name, legs in self.routes.items():
            missing = [leg for leg in legs if leg not in self.spare_mt_per_year]
            if missing:
                raise KeyError(f"route {name} uses legs with no capacity: {missing}")
            if self.crosses_russia.get(name) not in RUSSIA_TIERS:
                raise KeyError(f"route {name} has no known crosses_russia value (one of {sorted(RUSSIA_TIERS)})")
        if any(v < 0 for v in self.spare_mt_per_year.values()):
            raise ValueError("spare capacity cannot be negative")
        if self.cpc_kazakh_mt_per_year <= 0:
            raise ValueError("CPC's Kazakh volume must be positive")

    def __hash__(self) -> int:
        """Hashed by content, as its equality is, so that a derivation may be kept per network (:func:`historical_outages`)."""
        return hash(
            (
                tuple(sorted(self.spare_mt_per_year.items())),
                tuple(self.routes.items()),
                tuple(sorted(self.crosses_russia.items())),
                self.cpc_kazakh_mt_per_year,
                self.order,
            )
        )

    def preference(self) -> list[str]:
        """Routes from most to least preferred: by Russian transit, then by their order in routes.csv."""
        rank = {r: i for i, r in enumerate(self.order)}
        return sorted(self.routes, key=lambda r: (RUSSIA_TIERS[self.crosses_russia[r]], rank.get(r, len(rank)), r))

    def avoids_russia(self, route: str) -> bool:
        return self.crosses_russia[route] == "no"


def _spare(t: pd.DataFrame, leg: str) -> float:
    return max(float(t.loc[leg, "spare_mt"]), 0.0)


def network_from_data(include_tankers: bool = False, overrides: dict[str, float] | None = None) -> Network:
    """The network as the data package describes it (latest use figure per leg).

    ``include_tankers`` adds the dedicated Caspian tanker fleet (an estimate) as a
    leg of both Trans-Caspian routes. ``overrides`` replaces a leg's spare capacity,
    for the expansion scenarios. The Aktau berths' room is the Trans-Caspian room
    that chapter 3 quotes (:func:`oilroutes.chain.trans_caspian_room`).
    """
    t = chain_table().set_index("leg_id")
    legs = sorted({leg for chain in ROUTE_LEGS.values() for leg in chain})
    spare = {leg: _spare(t, leg) for leg in legs}
    spare["aktau_berths"] = trans_caspian_room(chain_table())["berths_spare_mt"]
    routes = dict(ROUTE_LEGS)
    if include_tankers:
        spare["caspian_tankers"] = _spare(t, "caspian_tankers")
        routes["aktau_btc"] = ("aktau_berths", "caspian_tankers", "btc_pipeline")
        routes["aktau_supsa"] = ("aktau_berths", "caspian_tankers", "baku_supsa")
    spare.update(overrides or {})
    info = load_routes()
    crosses = dict(zip(info["route_id"], info["crosses_russia"]))
    order = tuple(r for r in info["route_id"] if r in routes)
    return Network(spare, routes, {r: crosses[r] for r in routes}, assume.cpc_kazakh_volume()[1], order)


def expansion_network(include_tankers: bool = False) -> Network:
    """The announced expansions: Aktau's berths 9 and 10 restored."""
    room = trans_caspian_room(chain_table())
    return network_from_data(include_tankers, overrides={"aktau_berths": room["berths_spare_expanded_mt"]})


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


def _key(net: Network) -> tuple:
    return (
        tuple(sorted(net.spare_mt_per_year.items())),
        tuple(sorted(net.routes.items())),
        tuple(sorted(net.crosses_russia.items())),
        net.cpc_kazakh_mt_per_year,
        net.order,
    )


@lru_cache(maxsize=2048)
def _yearly_split(key: tuple, depth: float) -> tuple[tuple[str, float], ...]:
    """The rerouting of an outage of ``depth`` as yearly rates (Mt a year), routes in order of preference.

    Every volume of the program, the oil lost and each leg's room, is a yearly rate times the
    outage's length, so a program for any length is this one scaled: one solve serves every length.
    """
    # SciPy's solvers take a quarter of a second to import: only a kernel that reroutes oil pays for them
    from scipy.optimize import linprog

    spare, routes, crosses, cpc, order = key
    net = Network(dict(spare), dict(routes), dict(crosses), cpc, order)
    names = net.preference()  # reroute() calls this only with oil lost and routes to take it
    lost = depth * net.cpc_kazakh_mt_per_year
    legs = sorted({leg for r in names for leg in net.routes[r]})
    a_ub = [[1.0 if leg in net.routes[r] else 0.0 for r in names] for leg in legs]
    b_ub = [net.spare_mt_per_year[leg] for leg in legs]
    a_ub.append([1.0] * len(names))
    b_ub.append(lost)
    bounds = [(0, None)] * len(names)
    # 1) the most that can be rerouted at all
    first = linprog(-np.ones(len(names)), A_ub=np.array(a_ub), b_ub=np.array(b_ub), bounds=bounds, method="highs")
    if not first.success:
        raise RuntimeError(f"rerouting failed: {first.message}")
    best = -first.fun
    # 2) holding that volume, the split that crosses Russia least (tiers far apart, ties broken by data order)
    a2 = np.vstack([a_ub, -np.ones(len(names))])
    b2 = np.append(b_ub, -best + 1e-9 * max(1.0, best))
    n = len(names)
    cost = np.array(
        [(n + 1) ** RUSSIA_TIERS[net.crosses_russia[r]] * (n + 1) + i for i, r in enumerate(names)], dtype=float
    )
    res = linprog(cost, A_ub=a2, b_ub=b2, bounds=bounds, method="highs")
    x = np.clip((res if res.success else first).x, 0, None)
    return tuple((r, float(v)) for r, v in zip(names, x, strict=True))


def reroute(
    net: Network, depth: float, months: float, brent_usd: float | None = None, bbl_per_tonne: float | None = None
) -> Outcome:
    """Reroute a CPC outage of ``depth`` (0-1 of CPC's Kazakh flow) lasting ``months`` (0-12).

    The price and ratio default to the data's (latest Brent, CPC Blend's ratio). The oil lost and
    every leg's room both grow in proportion to the length, so the program is solved once per
    network and depth, as yearly rates, and scaled to the length.
    """
    if not 0 <= depth <= 1:
        raise ValueError(f"depth must lie between 0 and 1, got {depth}")
    if not 0 <= months <= MONTHS_PER_YEAR:
        raise ValueError(f"months must lie between 0 and {MONTHS_PER_YEAR}, got {months}")
    if brent_usd is None or bbl_per_tonne is None:
        d = assume.model_defaults()
        brent_usd = d.brent_usd if brent_usd is None else brent_usd
        bbl_per_tonne = d.bbl_per_tonne if bbl_per_tonne is None else bbl_per_tonne
    if brent_usd < 0:
        raise ValueError("the price cannot be negative")
    share = months / MONTHS_PER_YEAR
    lost = depth * net.cpc_kazakh_mt_per_year * share
    if lost <= 0 or not net.routes:
        return Outcome(depth, months, 0.0, {r: 0.0 for r in net.preference()}, 0.0, 0.0)
    rerouted = {r: v * share for r, v in _yearly_split(_key(net), float(depth))}
    shortfall = lost - sum(rerouted.values())
    shortfall = 0.0 if shortfall < 1e-7 * max(1.0, lost) else shortfall  # solver tolerance, not oil
    return Outcome(depth, months, lost, rerouted, shortfall, shortfall * bbl_per_tonne * brent_usd)


def grid(
    net: Network,
    depths=None,
    months=None,
    brent_usd: float | None = None,
    bbl_per_tonne: float | None = None,
    scenario: str = "Today",
) -> pd.DataFrame:
    """Outcomes over a grid of depths (every 5%) and lengths (1-12 months), long format (one row per route, plus shortfall)."""
    depths = np.arange(0, 101, DEPTH_STEP_PCT) / 100 if depths is None else depths
    months = list(range(1, MONTHS_PER_YEAR + 1)) if months is None else months
    d = assume.model_defaults()
    brent_usd = d.brent_usd if brent_usd is None else brent_usd
    bbl_per_tonne = d.bbl_per_tonne if bbl_per_tonne is None else bbl_per_tonne
    rows = []
    for dep in depths:
        for m in months:
            o = reroute(net, float(dep), float(m), brent_usd, bbl_per_tonne)
            common = dict(
                scenario=scenario,
                depth_pct=int(round(100 * dep)),
                months=int(m),
                lost_mt=o.lost_mt,
                shortfall_mt=o.shortfall_mt,
                revenue_at_risk_musd=o.revenue_at_risk_musd,
            )
            rows += [dict(common, route_id=r, volume_mt=v, kind="rerouted") for r, v in o.rerouted_mt.items()]
            rows.append(dict(common, route_id="shortfall", volume_mt=o.shortfall_mt, kind="shortfall"))
    return pd.DataFrame(rows)


@derived
def historical_outages(net: Network) -> pd.DataFrame:
    """Run every estimated CPC disruption with a loss through today's network, at its average depth.

    The depth is the day-weighted mean of the cut over the event's quantified
    phases (the smaller cut of each phase for the low case, the larger for the
    high case), so the model sees the disruption as chapter 2's estimate does,
    applied to today's flow and today's spare capacity.
    """
    from .losses import phase_losses

    per_phase = phase_losses()
    ev = load("cpc_events").set_index("event_id")
    a = assume.model_defaults()
    rows = []
    for event_id, mine in per_phase.groupby("event_id", sort=False):
        spans = mine.groupby(["phase", "start_date"], sort=False).agg(
            days=("days", "first"), low=("cut_share", "min"), high=("cut_share", "max")
        )
        days = float(spans["days"].sum())
        if spans["high"].max() <= 0:
            continue
        months = min(days / DAYS_PER_MONTH, MONTHS_PER_YEAR)
        for label in ("low", "high"):
            depth = float((spans[label] * spans["days"]).sum() / days)
            o = reroute(net, depth, months, a.brent_usd, a.bbl_per_tonne)
            rows.append(
                dict(
                    event_id=event_id,
                    title=ev.loc[event_id, "title"],
                    case=label,
                    depth_pct=100 * depth,
                    months=months,
                    lost_mt=o.lost_mt,
                    rerouted_mt=o.rerouted_total_mt,
                    shortfall_mt=o.shortfall_mt,
                    revenue_at_risk_musd=o.revenue_at_risk_musd,
                    **{f"via_{k}": v for k, v in o.rerouted_mt.items()},
                )
            )
    return pd.DataFrame(rows)


SCENARIO_NAMES = ("Capacity today", "With the announced expansions")


def scenario_grid(include_tankers: bool = False) -> pd.DataFrame:
    """The precomputed grid behind the scenario chart: today's network and the expanded one."""
    return pd.concat(
        [
            grid(network_from_data(include_tankers), scenario=SCENARIO_NAMES[0]),
            grid(expansion_network(include_tankers), scenario=SCENARIO_NAMES[1]),
        ],
        ignore_index=True,
    )


def max_depth_without_shortfall(net: Network, months: float, step_pct: int = 1) -> float:
    """The deepest outage (to ``step_pct``) of the given length that leaves no oil without a route.

    The shortfall never falls as the outage deepens (the oil lost grows, the room does not), so the
    depths that fit are those up to a limit, found by halving the interval between a depth that fits
    and one that does not.
    """
    a = assume.model_defaults()  # read once, not once per depth

    def fits(pct: int) -> bool:
        return reroute(net, pct / 100, months, a.brent_usd, a.bbl_per_tonne).shortfall_mt == 0

    steps = list(range(0, 101, step_pct))
    if fits(steps[-1]):
        return steps[-1] / 100
    lo, hi = 0, len(steps) - 1  # steps[lo] fits (no oil lost at 0), steps[hi] does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(steps[mid]) else (lo, mid)
    return steps[lo] / 100
