"""The named assumptions of the scenario model and the loss estimate, each read from the data.

Nothing here is typed in: the price, the volume and the conversion ratio are
rows of the data package, chosen by what they mean (the latest year, the CPC
Blend ratio), so a data edit changes every chart, subtitle and sentence that
quotes them. Calendar constants live in :mod:`oilroutes.units`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import derived, load

#: How long the timeline draws an event with no reported end. Display only: the estimate never costs unreported days.
OPEN_EVENT_DRAW_DAYS = 31

#: The ratio used for oil carried by CPC (a row of conversion_ratios.csv).
CPC_RATIO_ID = "cpc_blend"


@dataclass(frozen=True)
class Ratio:
    ratio_id: str
    low: float
    high: float
    implied: bool
    source: str

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def label(self) -> str:
        rng = f"{self.low:.2f}" if self.low == self.high else f"{self.low:.2f}–{self.high:.2f}"
        return f"{rng} bbl/t"


@derived
def ratio(ratio_id: str = CPC_RATIO_ID) -> Ratio:
    """A barrels-per-tonne ratio from ``conversion_ratios.csv``."""
    t = load("conversion_ratios").set_index("ratio_id")
    if ratio_id not in t.index:
        raise LookupError(f"conversion_ratios.csv has no ratio {ratio_id!r}; known: {sorted(t.index)}")
    r = t.loc[ratio_id]
    return Ratio(
        ratio_id, float(r["bbl_per_tonne_low"]), float(r["bbl_per_tonne_high"]), bool(r["implied"]), str(r["source"])
    )


@derived
def brent(year: int | None = None) -> tuple[int, float]:
    """(year, average Brent in US$/bbl): the given year, or the latest year with a price."""
    p = load("brent_prices").set_index("year")["usd_per_bbl"]
    year = int(p.index.max()) if year is None else int(year)
    if year not in p.index:
        raise LookupError(f"no Brent price for {year} in brent_prices.csv")
    return year, float(p.loc[year])


@derived
def cpc_kazakh_volume() -> tuple[int, float]:
    """(year, Mt) of Kazakh shippers' oil through CPC in the latest year with a preferred figure."""
    t = load("cpc_throughput")
    t = t[(t["measure"] == "kazakh") & t["preferred"].astype(bool)].set_index("year")["volume_mt"]
    year = int(t.index.max())
    return year, float(t.loc[year])


@dataclass(frozen=True)
class ModelAssumptions:
    """What the scenario model values a shortfall with, and the CPC flow an outage cuts."""

    brent_year: int
    brent_usd: float
    bbl_per_tonne: float
    ratio_label: str
    cpc_year: int
    cpc_kazakh_mt: float


@derived
def model_defaults() -> ModelAssumptions:
    """The scenario model's defaults, all from the data: latest Brent, CPC Blend ratio (midpoint), latest CPC flow."""
    by, bp = brent()
    r = ratio()
    cy, cv = cpc_kazakh_volume()
    return ModelAssumptions(
        by, bp, r.mid, f"{r.mid:.2f} bbl/t (CPC Blend, {'implied' if r.implied else 'reported'})", cy, cv
    )
