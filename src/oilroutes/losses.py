"""An estimate of the volume and revenue lost to each CPC disruption.

Method (shown on the page, and tested on hand-checked cases):

* **Volume.** Where a source reports the effect as a share of throughput, the
  lost volume is that share × the Kazakh volume CPC carried per day in the
  event's year × the event's duration in days. Where it reports barrels a day,
  the lost volume is that rate × the duration.
* **Duration.** From the start date to the reported end date, both included.
  An event with no reported end is costed for ``open_event_days`` days, and
  flagged.
* **Tonnes and barrels.** Converted with a barrels-per-tonne range (default
  7.3–7.6: Kazakhstan's former ratio and the OPEC+ secondary sources'). The low
  end of the range pairs the low effect with the ratio that gives fewer barrels.
* **Revenue.** Lost barrels × that year's average Brent price: gross market
  value, before the CPC Blend discount, transport costs and taxes.
* Events whose effect was never quantified are **not estimated**: they appear
  with empty figures, not zeros.

This is an estimate, not a measurement. When a reported cut eased before the
event's official end, the method overstates the loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import load


@dataclass(frozen=True)
class LossAssumptions:
    bbl_per_tonne_low: float = 7.3
    bbl_per_tonne_high: float = 7.6
    open_event_days: int = 31
    baseline: str = "kazakh"  # which CPC throughput measure the percentages apply to

    def __post_init__(self):
        if not 6 <= self.bbl_per_tonne_low <= self.bbl_per_tonne_high <= 9:
            raise ValueError("barrels per tonne must satisfy 6 <= low <= high <= 9")
        if self.open_event_days < 1:
            raise ValueError("open_event_days must be at least 1")


def _baseline(throughput: pd.DataFrame, year: int, measure: str) -> tuple[float, int]:
    """Mt/day carried in ``year``, or in the latest earlier year with a figure."""
    t = throughput[(throughput["measure"] == measure) & throughput["preferred"]].set_index("year")["volume_mt"]
    years = [y for y in t.index if y <= year]
    if not years:
        raise LookupError(f"no CPC {measure} throughput for {year} or earlier")
    used = max(years)
    return float(t.loc[used]) / 365.0, int(used)


def event_losses(events: pd.DataFrame | None = None, throughput: pd.DataFrame | None = None,
                 prices: pd.DataFrame | None = None, assumptions: LossAssumptions = LossAssumptions()) -> pd.DataFrame:
    """One row per event: days, lost volume (Mt, million barrels) and revenue (million USD), low and high."""
    events = load("cpc_events") if events is None else events
    throughput = load("cpc_throughput") if throughput is None else throughput
    prices = (load("brent_prices") if prices is None else prices).set_index("year")["usd_per_bbl"]
    a = assumptions
    rows = []
    for ev in events.itertuples():
        start = pd.Timestamp(ev.start_date)
        open_ended = pd.isna(ev.end_date)
        end = start + pd.Timedelta(days=a.open_event_days - 1) if open_ended else pd.Timestamp(ev.end_date)
        days = (end - start).days + 1
        row = dict(event_id=ev.event_id, event_type=ev.event_type, start_date=start, end_used=end, days=days,
                   end_assumed=open_ended, effect_low=ev.effect_low, effect_high=ev.effect_high,
                   effect_unit=ev.effect_unit, baseline_year=np.nan, baseline_mt_per_day=np.nan,
                   brent_usd=np.nan, estimated=False)
        for k in ("lost_mt_low", "lost_mt_high", "lost_mbbl_low", "lost_mbbl_high", "revenue_musd_low", "revenue_musd_high"):
            row[k] = np.nan
        if not pd.isna(ev.effect_low) and not pd.isna(ev.effect_high):
            year = start.year
            if year not in prices.index:
                raise LookupError(f"no Brent price for {year} (event {ev.event_id})")
            brent = float(prices.loc[year])
            if ev.effect_unit == "pct":
                per_day, base_year = _baseline(throughput, year, a.baseline)
                mt_low = ev.effect_low / 100 * per_day * days
                mt_high = ev.effect_high / 100 * per_day * days
                bbl_low, bbl_high = mt_low * a.bbl_per_tonne_low, mt_high * a.bbl_per_tonne_high
                row.update(baseline_year=base_year, baseline_mt_per_day=per_day)
            elif ev.effect_unit == "kb/d":
                bbl_low = ev.effect_low * 1e3 * days / 1e6
                bbl_high = ev.effect_high * 1e3 * days / 1e6
                mt_low, mt_high = bbl_low / a.bbl_per_tonne_high, bbl_high / a.bbl_per_tonne_low
            else:
                raise ValueError(f"event {ev.event_id}: unknown effect unit {ev.effect_unit!r}")
            row.update(lost_mt_low=mt_low, lost_mt_high=mt_high, lost_mbbl_low=bbl_low, lost_mbbl_high=bbl_high,
                       revenue_musd_low=bbl_low * brent, revenue_musd_high=bbl_high * brent,
                       brent_usd=brent, estimated=True)
        rows.append(row)
    return pd.DataFrame(rows)


def losses_by_year(losses: pd.DataFrame) -> pd.DataFrame:
    """Estimated losses summed per year, with the number of events and of events left unestimated."""
    df = losses.assign(year=losses["start_date"].dt.year)
    cols = ["lost_mt_low", "lost_mt_high", "revenue_musd_low", "revenue_musd_high"]
    out = df.groupby("year").agg(events=("event_id", "size"),
                                 events_not_estimated=("estimated", lambda s: int((~s.astype(bool)).sum())))
    sums = df[df["estimated"]].groupby("year")[cols].sum()
    out = out.join(sums).fillna({c: 0.0 for c in cols})
    return out.reset_index()
