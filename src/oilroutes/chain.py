"""The Trans-Caspian chain: leg lengths, capacity against use, and the link that binds first.

Everything is computed from the data package. Two figures are derived rather
than published, and are labelled so wherever they appear:

* BTC's barrels per tonne, from the years in which Azerbaijan's statistics
  (tonnes) and BOTAŞ (barrels) both report the pipeline's flow;
* the dedicated tanker fleet's capacity, read from the commitment the tankers
  were bought to cover (see ``chain_legs.csv``).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pyproj import Geod

from .data import derived, load
from .units import kbd_to_mt_per_year

_GEOD = Geod(ellps="WGS84")


def leg_lengths(legs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Geodesic length of each schematic leg (km) beside the length its source reports."""
    out = legs[["leg_id", "name", "mode", "length_km"]].copy()
    out["schematic_km"] = [_GEOD.geometry_length(g) / 1000 for g in legs.geometry]
    out["reported_over_schematic"] = out["length_km"] / out["schematic_km"]
    return out.reset_index(drop=True)


def straight_line_km(site_a: str, site_b: str) -> float:
    """Geodesic distance between two sites of ``sites.csv`` (km): a lower bound on any route between them."""
    sites = load("sites").set_index("site_id")
    a, b = sites.loc[site_a], sites.loc[site_b]
    return _GEOD.inv(float(a["lon"]), float(a["lat"]), float(b["lon"]), float(b["lat"]))[2] / 1000


@derived
def btc_bbl_per_tonne(btc: pd.DataFrame | None = None) -> float:
    """Barrels per tonne of the oil BTC carries, from years with both a tonnage and a barrel count."""
    btc = load("btc_throughput") if btc is None else btc
    wide = btc.pivot(index="year", columns="measure", values="value").dropna()
    if wide.empty:
        raise LookupError("no year has both BTC tonnes and barrels")
    return float((wide["turkish_section_mbbl"] / wide["total_mt"]).mean())


@derived
def chain_table(chain: pd.DataFrame | None = None, btc_ratio: float | None = None) -> pd.DataFrame:
    """Each leg's capacity and use in Mt/yr, spare room and utilisation."""
    chain = load("chain_legs") if chain is None else chain
    ratio = btc_bbl_per_tonne() if btc_ratio is None else btc_ratio
    out = chain.copy()
    cap = []
    for v, u in zip(out["capacity"], out["capacity_unit"], strict=True):
        cap.append(float("nan") if pd.isna(v) else (kbd_to_mt_per_year(v, ratio) if u == "kb/d" else float(v)))
    use = []
    for v, u in zip(out["use"], out["use_unit"], strict=True):
        use.append(float("nan") if pd.isna(v) else (float(v) / ratio if u == "million bbl" else float(v)))
    out["capacity_mt"] = cap
    out["use_mt"] = use
    out["spare_mt"] = out["capacity_mt"] - out["use_mt"]
    out["utilisation_pct"] = 100 * out["use_mt"] / out["capacity_mt"]
    return out


def trans_caspian_room(table: pd.DataFrame) -> dict:
    """The Trans-Caspian chain's limits, the one place chapters 3 and 4 take them from (Mt a year).

    * ``ceiling_mt``: the most the chain could carry in a year on published
      capacities, the tightest of the Aktau oil berths' capacity and the room
      left in BTC. It includes what the berths already load (to Baku and to
      Makhachkala).
    * ``room_mt``: the extra the chain could take today, the tightest of the
      berths' spare capacity (capacity minus current use) and BTC's room. This
      is what a CPC outage could be rerouted into, and what the scenario model uses.
    * ``ceiling_fleet_mt``: the ceiling if the dedicated tanker fleet (an
      estimate) is the limit.
    * ``*_expanded_mt``: the same with Aktau's berths 9 and 10 restored.
    """
    t = table.set_index("leg_id")
    berths_cap = float(t.loc["aktau_berths", "capacity_mt"])
    berths_use = float(t.loc["aktau_berths", "use_mt"])
    expanded_cap = float(t.loc["aktau_berths_rebuilt", "capacity_mt"])
    btc_room = float(t.loc["btc_pipeline", "spare_mt"])
    fleet = float(t.loc["caspian_tankers", "capacity_mt"])
    ceiling = {"aktau_berths": berths_cap, "btc_pipeline": btc_room}
    with_fleet = dict(ceiling, caspian_tankers=fleet)
    return {
        "berths_capacity_mt": berths_cap,
        "berths_use_mt": berths_use,
        "berths_use_year": int(t.loc["aktau_berths", "use_year"]),
        "berths_spare_mt": max(berths_cap - berths_use, 0.0),
        "berths_spare_expanded_mt": max(expanded_cap - berths_use, 0.0),
        "expanded_capacity_mt": expanded_cap,
        "btc_room_mt": btc_room,
        "fleet_capacity_mt": fleet,
        "ceiling_mt": min(ceiling.values()),
        "ceiling_leg": min(ceiling, key=ceiling.get),
        "ceiling_fleet_mt": min(with_fleet.values()),
        "ceiling_fleet_leg": min(with_fleet, key=with_fleet.get),
        "room_mt": min(max(berths_cap - berths_use, 0.0), btc_room),
        "room_expanded_mt": min(max(expanded_cap - berths_use, 0.0), btc_room),
    }


def binding_constraint(table: pd.DataFrame, cpc_kazakh_mt: float, include_estimates: bool = True) -> dict:
    """The tightest link between Aktau and Ceyhan, and the share of CPC's Kazakh volume it could carry.

    The chain's ceiling is the smallest of: the Aktau oil berths' capacity, the
    tanker fleet's capacity (only if ``include_estimates``), and the room left in
    BTC (capacity minus current use). No chain carries more than its tightest leg.
    """
    room = trans_caspian_room(table)
    t = table.set_index("leg_id")
    key = "ceiling_fleet" if include_estimates else "ceiling"
    leg, ceiling = room[f"{key}_leg"], room[f"{key}_mt"]
    return {
        "binding_leg": leg,
        "binding_name": t.loc[leg, "name"],
        "ceiling_mt": ceiling,
        "share_of_cpc_pct": 100 * ceiling / cpc_kazakh_mt,
    }


def scenarios(table: pd.DataFrame, plans: pd.DataFrame, cpc_kazakh_mt: float) -> pd.DataFrame:
    """What the chain could take today and under the announced expansions, as a share of CPC's Kazakh volume."""
    t = table.set_index("leg_id")
    btc_room = float(t.loc["btc_pipeline", "spare_mt"])
    p = plans.set_index("plan_id")["volume_mt_per_year"]
    rows = [
        (
            "Today: dedicated tanker fleet (estimate)",
            binding_constraint(table, cpc_kazakh_mt, True)["ceiling_mt"],
            "caspian_tankers",
        ),
        ("Today: Aktau oil berths", binding_constraint(table, cpc_kazakh_mt, False)["ceiling_mt"], "aktau_berths"),
        (
            "Aktau with berths 9 and 10 restored",
            min(float(t.loc["aktau_berths_rebuilt", "capacity_mt"]), btc_room),
            "aktau_berths_rebuilt",
        ),
        ("BTC ambition for 2027", min(float(p["btc_2027"]), btc_room), "btc_2027"),
        ("Presidential target, Aktau and Kuryk", min(float(p["aktau_kuryk_20"]), btc_room), "aktau_kuryk_20"),
    ]
    out = pd.DataFrame(rows, columns=["scenario", "ceiling_mt", "basis"])
    out["share_of_cpc_pct"] = 100 * out["ceiling_mt"] / cpc_kazakh_mt
    out["btc_room_mt"] = btc_room
    return out
