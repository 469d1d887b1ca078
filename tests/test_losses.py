"""The loss model, on cases worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from oilroutes import losses
from oilroutes.losses import LossAssumptions


def _events(**kw):
    base = dict(event_id="e", event_type="weather", start_date=pd.Timestamp("2022-03-01"), end_date=pd.Timestamp("2022-03-10"),
                effect_low=10.0, effect_high=20.0, effect_unit="pct")
    base.update(kw)
    return pd.DataFrame([base])


THROUGHPUT = pd.DataFrame({"year": [2021, 2022], "measure": ["kazakh", "kazakh"], "volume_mt": [36.5, 73.0],
                           "preferred": [True, True]})
PRICES = pd.DataFrame({"year": [2021, 2022], "usd_per_bbl": [50.0, 100.0]})


def test_percentage_cut_is_share_times_daily_volume_times_days():
    # 73 Mt/yr = 0.2 Mt/day; 10 days (1-10 March inclusive); 10% and 20%
    row = losses.event_losses(_events(), THROUGHPUT, PRICES).iloc[0]
    assert row["days"] == 10
    assert row["lost_mt_low"] == pytest.approx(0.1 * 0.2 * 10)      # 0.2 Mt
    assert row["lost_mt_high"] == pytest.approx(0.2 * 0.2 * 10)     # 0.4 Mt
    # barrels: 0.2 Mt x 7.3 = 1.46 million; 0.4 Mt x 7.6 = 3.04 million
    assert row["lost_mbbl_low"] == pytest.approx(1.46)
    assert row["lost_mbbl_high"] == pytest.approx(3.04)
    # revenue at $100: 146 and 304 million dollars
    assert row["revenue_musd_low"] == pytest.approx(146.0)
    assert row["revenue_musd_high"] == pytest.approx(304.0)


def test_barrels_per_day_cut_converts_to_tonnes_with_the_ratio_range():
    ev = _events(effect_low=320.0, effect_high=320.0, effect_unit="kb/d")
    row = losses.event_losses(ev, THROUGHPUT, PRICES).iloc[0]
    assert row["lost_mbbl_low"] == pytest.approx(3.2)                 # 320,000 bbl x 10 days
    assert row["lost_mt_low"] == pytest.approx(3.2 / 7.6)
    assert row["lost_mt_high"] == pytest.approx(3.2 / 7.3)
    assert row["revenue_musd_high"] == pytest.approx(320.0)


def test_march_2022_storm_matches_the_ministrys_own_tonnage():
    # The ministry warned of 320,000 b/d, about 1.3 Mt, if repairs lasted to the end of April.
    row = losses.event_losses().set_index("event_id").loc["storm_2022"]
    assert row["days"] == 32
    assert 1.3 <= row["lost_mt_low"] <= row["lost_mt_high"] <= 1.45


def test_open_event_is_costed_for_the_stated_number_of_days_and_flagged():
    ev = _events(end_date=pd.NaT)
    row = losses.event_losses(ev, THROUGHPUT, PRICES, LossAssumptions(open_event_days=5)).iloc[0]
    assert row["end_assumed"] and row["days"] == 5
    assert row["lost_mt_low"] == pytest.approx(0.1 * 0.2 * 5)


def test_unquantified_event_is_not_estimated_rather_than_zero():
    row = losses.event_losses(_events(effect_low=np.nan, effect_high=np.nan, effect_unit=np.nan), THROUGHPUT, PRICES).iloc[0]
    assert not row["estimated"]
    assert np.isnan(row["lost_mt_low"])


def test_reported_zero_effect_is_a_zero_loss():
    row = losses.event_losses(_events(effect_low=0.0, effect_high=0.0), THROUGHPUT, PRICES).iloc[0]
    assert row["estimated"] and row["lost_mt_high"] == 0


def test_missing_throughput_year_falls_back_to_the_latest_earlier_year():
    ev = _events(start_date=pd.Timestamp("2023-01-01"), end_date=pd.Timestamp("2023-01-01"))
    prices = pd.concat([PRICES, pd.DataFrame({"year": [2023], "usd_per_bbl": [80.0]})])
    row = losses.event_losses(ev, THROUGHPUT, prices).iloc[0]
    assert row["baseline_year"] == 2022


def test_missing_price_is_an_error_not_a_guess():
    ev = _events(start_date=pd.Timestamp("2030-01-01"), end_date=pd.Timestamp("2030-01-02"))
    with pytest.raises(LookupError, match="Brent"):
        losses.event_losses(ev, THROUGHPUT, PRICES)


def test_low_is_never_above_high_on_the_real_events():
    l = losses.event_losses()
    est = l[l["estimated"]]
    assert (est["lost_mt_low"] <= est["lost_mt_high"] + 1e-12).all()
    assert (est["revenue_musd_low"] <= est["revenue_musd_high"] + 1e-9).all()


def test_yearly_totals_add_the_estimated_events_and_count_the_rest():
    l = losses.event_losses()
    by = losses.losses_by_year(l).set_index("year")
    assert by["events"].sum() == len(l)
    assert by.loc[2022, "lost_mt_low"] == pytest.approx(l[(l["start_date"].dt.year == 2022) & l["estimated"]]["lost_mt_low"].sum())
    assert by.loc[2021, "events_not_estimated"] == 1


@pytest.mark.parametrize("kw", [dict(bbl_per_tonne_low=7.8, bbl_per_tonne_high=7.5), dict(open_event_days=0), dict(bbl_per_tonne_high=12)])
def test_implausible_assumptions_are_refused(kw):
    with pytest.raises(ValueError):
        LossAssumptions(**kw)
