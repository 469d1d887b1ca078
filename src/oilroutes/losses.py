"""An estimate of the volume and revenue lost to each CPC disruption, phase by phase.

Method (shown on the page, and tested on hand-checked cases):

* **Phases.** A disruption is not one cut held for its whole length. Each event
  that a source quantified has dated phases in ``cpc_event_phases.csv`` (a full
  stop, a partial phase with one mooring, a bypass), and each phase carries the
  evidence for a *low* and a *high* bound on the loss, each with its source.
  The estimate integrates the phases; it never applies the first reported cut
  to the whole span.
* **Effects.** A phase's evidence is either a *cut* (a share of the flow, a
  rate in thousand barrels or thousand tonnes a day) or what *remained* (the
  capacity left, e.g. one mooring's Mt a month). A remaining capacity is turned
  into a cut against that year's average flow on the same basis.
* **Basis.** A share of *total* CPC loadings is applied to the Kazakh flow on
  the assumption that Kazakh and Russian shippers were cut in proportion.
* **Tonnes and barrels.** Converted with CPC Blend's barrels per tonne, an
  implied, sourced row of ``conversion_ratios.csv``. The low end of the range
  pairs the low effect with the ratio that gives fewer barrels.
* **Revenue.** Lost barrels × that year's average Brent price: gross market
  value, before the CPC Blend discount, transport costs and taxes.
* Events with no quantified phase are **not estimated**: they appear with empty
  figures, not zeros. Years with no estimated event are gaps, not zeros.

The estimate counts loadings foregone during the outage. Where the oil was
stored and shipped later, the net loss for the year is smaller: chapter 2 sets
each estimate beside the figure officials reported (:func:`model_vs_reported`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import assumptions as assume
from .data import derived, load
from .units import DAYS_PER_MONTH, days_in_year

BOUNDS = ("low", "high")
PHASE_COLUMNS = [
    "event_id",
    "phase",
    "bound",
    "start_date",
    "end_date",
    "days",
    "cut_share",
    "baseline_year",
    "lost_mt",
    "lost_mbbl",
    "revenue_musd",
    "brent_usd",
    "source",
]


@dataclass(frozen=True)
class LossAssumptions:
    """What the estimate assumes. The ratio comes from the data unless a caller overrides it."""

    bbl_per_tonne_low: float = field(default_factory=lambda: assume.ratio().low)
    bbl_per_tonne_high: float = field(default_factory=lambda: assume.ratio().high)

    def __post_init__(self):
        if not 6 <= self.bbl_per_tonne_low <= self.bbl_per_tonne_high <= 9:
            raise ValueError("barrels per tonne must satisfy 6 <= low <= high <= 9")


def _preferred_flows(throughput: pd.DataFrame) -> dict[str, dict[int, float]]:
    """CPC's preferred yearly volumes (Mt), by measure and year: read once per estimate, not once per phase."""
    t = throughput[throughput["preferred"].astype(bool)]
    flows: dict[str, dict[int, float]] = {}
    for measure, year, volume in zip(t["measure"], t["year"], t["volume_mt"], strict=True):
        flows.setdefault(measure, {})[int(year)] = float(volume)
    return flows


def _flow_per_day(flows: dict[str, dict[int, float]], year: int, measure: str) -> tuple[float, int]:
    """Mt/day on ``measure`` in ``year``, or in the latest earlier year with a figure."""
    years = [y for y in flows.get(measure, {}) if y <= year]
    if not years:
        raise LookupError(f"no CPC {measure} throughput for {year} or earlier")
    used = max(years)
    return flows[measure][used] / days_in_year(used), used


@derived
def phase_losses(
    phases: pd.DataFrame | None = None,
    throughput: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    assumptions: LossAssumptions | None = None,
) -> pd.DataFrame:
    """One row per phase and bound: days, the cut as a share of the Kazakh flow, lost Mt, barrels and dollars."""
    phases = load("cpc_event_phases") if phases is None else phases
    throughput = load("cpc_throughput") if throughput is None else throughput
    prices = (load("brent_prices") if prices is None else prices).set_index("year")["usd_per_bbl"]
    a = LossAssumptions() if assumptions is None else assumptions
    flows = _preferred_flows(throughput)
    rows = []
    for ph in phases.itertuples():
        start, end = pd.Timestamp(ph.start_date), pd.Timestamp(ph.end_date)
        days = (end - start).days + 1
        year = start.year
        if year not in prices.index:
            raise LookupError(f"no Brent price for {year} (event {ph.event_id}, phase {ph.phase})")
        kz_day, base_year = _flow_per_day(flows, year, "kazakh")
        for bound in BOUNDS if ph.bound == "both" else (ph.bound,):
            ratio = a.bbl_per_tonne_low if bound == "low" else a.bbl_per_tonne_high
            share = _cut_share(ph, flows, year, kz_day, ratio)
            mt = share * kz_day * days
            rows.append(
                dict(
                    event_id=ph.event_id,
                    phase=ph.phase,
                    bound=bound,
                    start_date=start,
                    end_date=end,
                    days=days,
                    cut_share=share,
                    baseline_year=base_year,
                    lost_mt=mt,
                    lost_mbbl=mt * ratio,
                    revenue_musd=mt * ratio * float(prices.loc[year]),
                    brent_usd=float(prices.loc[year]),
                    source=ph.source,
                )
            )
    return pd.DataFrame(rows, columns=PHASE_COLUMNS)


def _cut_share(ph, flows: dict[str, dict[int, float]], year: int, kz_day: float, ratio: float) -> float:
    """The phase's cut as a share (0-1) of the Kazakh flow."""
    value, unit, basis = float(ph.value), ph.unit, ph.basis
    base_day = kz_day if basis == "kazakh" else _flow_per_day(flows, year, "total")[0]
    if unit == "pct":
        share = value / 100
    elif unit == "kb/d":
        share = value * 1e3 / ratio / 1e6 / base_day
    elif unit == "kt/d":
        share = value / 1e3 / base_day
    elif unit == "Mt/month":
        share = value / DAYS_PER_MONTH / base_day
    else:
        raise ValueError(f"phase {ph.event_id}/{ph.phase}: unknown unit {unit!r}")
    if ph.effect == "remaining":
        share = 1 - share
    elif ph.effect != "cut":
        raise ValueError(f"phase {ph.event_id}/{ph.phase}: unknown effect {ph.effect!r}")
    return float(min(max(share, 0.0), 1.0))


@derived
def event_losses(
    events: pd.DataFrame | None = None,
    phases: pd.DataFrame | None = None,
    throughput: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    assumptions: LossAssumptions | None = None,
) -> pd.DataFrame:
    """One row per event: days, lost volume (Mt, million barrels) and revenue (million USD), low and high.

    Within a phase the low and high bounds may come from different evidence; the
    event's low is the sum of each phase's smaller figure and its high the sum of
    the larger, so low never exceeds high.
    """
    events = load("cpc_events") if events is None else events
    per_phase = phase_losses(phases, throughput, prices, assumptions)
    per_event = dict(tuple(per_phase.groupby("event_id", sort=False)))  # split once, not filtered per event
    amounts = ["lost_mt", "lost_mbbl", "revenue_musd"]
    rows = []
    for ev in events.itertuples():
        start = pd.Timestamp(ev.start_date)
        end = pd.Timestamp(ev.end_date) if not pd.isna(ev.end_date) else pd.NaT
        end_used = end if not pd.isna(end) else start + pd.Timedelta(days=assume.OPEN_EVENT_DRAW_DAYS - 1)
        row = dict(
            event_id=ev.event_id,
            event_type=ev.event_type,
            start_date=start,
            end_date=end,
            end_used=end_used,
            days=(end - start).days + 1 if not pd.isna(end) else np.nan,
            end_assumed=pd.isna(end),
            effect_low=ev.effect_low,
            effect_high=ev.effect_high,
            effect_unit=ev.effect_unit,
            phases=0,
            estimated_days=np.nan,
            brent_usd=np.nan,
            estimated=False,
        )
        mine = per_event.get(ev.event_id)
        for k in amounts:
            row[f"{k}_low"] = row[f"{k}_high"] = np.nan
        if mine is not None:
            by_phase = mine.groupby(["phase", "start_date"], sort=False)[amounts]
            low, high = by_phase.min(), by_phase.max()
            for k in amounts:
                row[f"{k}_low"] = float(low[k].sum())
                row[f"{k}_high"] = float(high[k].sum())
            spans = mine.drop_duplicates(["phase", "start_date"])
            row.update(
                phases=len(spans),
                estimated_days=int(spans["days"].sum()),
                brent_usd=float(mine["brent_usd"].iloc[0]),
                estimated=True,
            )
        rows.append(row)
    return pd.DataFrame(rows)


def losses_by_year(losses: pd.DataFrame) -> pd.DataFrame:
    """Estimated losses summed per year of the event's start, with counts of events estimated and not.

    A year whose events were never quantified has empty sums (a gap), not zeros.
    """
    df = losses.assign(year=losses["start_date"].dt.year)
    cols = ["lost_mt_low", "lost_mt_high", "revenue_musd_low", "revenue_musd_high"]
    out = df.groupby("year").agg(
        events=("event_id", "size"), events_estimated=("estimated", lambda s: int(s.astype(bool).sum()))
    )
    out["events_not_estimated"] = out["events"] - out["events_estimated"]
    sums = df[df["estimated"].astype(bool)].groupby("year")[cols].sum()
    out = out.join(sums)
    years = range(int(out.index.min()), int(out.index.max()) + 1)
    out = out.reindex(years).fillna({"events": 0, "events_estimated": 0, "events_not_estimated": 0})
    out.index.name = "year"
    return out.astype({"events": int, "events_estimated": int, "events_not_estimated": int}).reset_index()


def _window(per_phase: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each phase's loss pro rata to the days it shares with [start, end]."""
    s = per_phase["start_date"].clip(lower=start)
    e = per_phase["end_date"].clip(upper=end)
    overlap = ((e - s).dt.days + 1).clip(lower=0)
    frac = overlap / per_phase["days"]
    return per_phase.assign(
        **{k: per_phase[k] * frac for k in ("lost_mt", "lost_mbbl", "revenue_musd")}, overlap_days=overlap
    )


REPORTED_UNITS = {"Mt": "lost_mt", "million USD": "revenue_musd"}


@derived
def model_vs_reported(reported: pd.DataFrame | None = None, per_phase: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every official loss figure in Mt or US$ beside the model's estimate for the same event and period.

    The model's figure is the phases' losses pro rata to the days they share
    with the reported period (all events when the figure covers a whole year).
    ``ratio`` is the model's midpoint over the reported midpoint; ``gap_large``
    flags a ratio outside 2/3-3/2 ("differ by more than a third").
    """
    reported = load("reported_losses") if reported is None else reported
    per_phase = phase_losses() if per_phase is None else per_phase
    rows = []
    for r in reported.itertuples():
        if r.unit not in REPORTED_UNITS:
            continue  # a figure in tenge is kept in the data, compared through its dollar rendering
        col = REPORTED_UNITS[r.unit]
        pool = per_phase if pd.isna(r.event_id) else per_phase[per_phase["event_id"] == r.event_id]
        win = _window(pool, pd.Timestamp(r.period_start), pd.Timestamp(r.period_end))
        win = win[win["overlap_days"] > 0]
        by_phase = win.groupby(["event_id", "phase", "start_date"], sort=False)[col]
        lo, hi = float(by_phase.min().sum()), float(by_phase.max().sum())
        mid_model, mid_rep = (lo + hi) / 2, (r.value_low + r.value_high) / 2
        ratio = mid_model / mid_rep if mid_rep else np.nan
        rows.append(
            dict(
                loss_id=r.loss_id,
                event_id=r.event_id,
                measure=r.measure,
                kind=r.kind,
                who=r.who,
                period_start=pd.Timestamp(r.period_start),
                period_end=pd.Timestamp(r.period_end),
                unit=r.unit,
                reported_low=r.value_low,
                reported_high=r.value_high,
                model_low=lo,
                model_high=hi,
                ratio=ratio,
                gap_large=bool(not np.isnan(ratio) and not (2 / 3 <= ratio <= 3 / 2)),
                events_in_window=int(win["event_id"].nunique()),
                source=r.source,
            )
        )
    return pd.DataFrame(rows)


@derived
def flow_against_pace(monthly: pd.DataFrame | None = None, throughput: pd.DataFrame | None = None) -> pd.DataFrame:
    """Part-year CPC flows beside the pace of the year before (or the same year's average).

    For each part-year figure: the volume, the same number of days at the
    previous full year's daily rate, and the difference. A disrupted period
    that still ran ahead of the previous year's pace shows that the oil held
    back was shipped later.
    """
    monthly = load("cpc_monthly") if monthly is None else monthly
    flows = _preferred_flows(load("cpc_throughput") if throughput is None else throughput)
    rows = []
    for m in monthly.itertuples():
        start, end = pd.Timestamp(m.period_start), pd.Timestamp(m.period_end)
        days = (end - start).days + 1
        for label, year in (("previous year", start.year - 1), ("same year", start.year)):
            try:
                per_day, used = _flow_per_day(flows, year, m.measure)
            except LookupError:
                continue
            if used != year:
                continue
            pace = per_day * days
            rows.append(
                dict(
                    period_start=start,
                    period_end=end,
                    measure=m.measure,
                    days=days,
                    volume_mt=float(m.volume_mt),
                    against=label,
                    pace_year=used,
                    pace_mt=pace,
                    difference_mt=float(m.volume_mt) - pace,
                    source=m.source,
                )
            )
    return pd.DataFrame(rows)
