import pytest

from oilroutes import units


def test_one_mt_per_year_is_about_20_5_kbd_at_7_5_barrels_per_tonne():
    # 1e6 t * 7.5 bbl/t / 365.25 d = 20,533.9 bbl/d
    assert units.mt_per_year_to_kbd(1.0, 7.5) == pytest.approx(20.5339, rel=1e-4)


def test_round_trip_kbd_mt():
    assert units.kbd_to_mt_per_year(units.mt_per_year_to_kbd(53.1, 7.9), 7.9) == pytest.approx(53.1)


def test_btc_capacity_1_2_mbd_is_about_58_mt_per_year_at_7_5():
    # 1,200,000 bbl/d * 365.25 / 7.5 = 58.44 Mt/yr
    assert units.to_mt_per_year(1200, "kb/d", 7.5) == pytest.approx(58.44, rel=1e-3)
    assert units.to_mt_per_year(1.2, "mb/d", 7.5) == pytest.approx(58.44, rel=1e-3)


def test_ratio_changes_the_result_proportionally():
    assert units.tonnes_to_barrels(1000, 7.3) == pytest.approx(7300)
    assert units.barrels_to_tonnes(7500, 7.5) == pytest.approx(1000)


def test_no_conversion_has_a_default_ratio():
    with pytest.raises(TypeError):
        units.tonnes_to_barrels(1000)  # the ratio is a sourced choice, never implicit


@pytest.mark.parametrize("ratio", [0, 5.9, 9.1, -7.5])
def test_implausible_ratio_is_refused(ratio):
    with pytest.raises(ValueError, match="barrels per tonne"):
        units.tonnes_to_barrels(1, ratio)


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown capacity unit"):
        units.to_mt_per_year(1, "bbl", 7.5)


def test_implied_ratio_from_reuters_pairs():
    # November 2025: 5.088 Mt = 1.34 mb/d over 30 days -> 7.90 bbl/t
    assert units.implied_ratio(5.088, 1.34, 30) == pytest.approx(7.901, abs=1e-3)
    with pytest.raises(ValueError):
        units.implied_ratio(0, 1.34, 30)


def test_leap_years_have_366_days():
    assert units.days_in_year(2024) == 366 and units.days_in_year(2025) == 365
