"""The Trans-Caspian chain: derived ratio, conversions, tightest link, distances."""

import pandas as pd
import pytest

from oilroutes import chain, data


def test_btc_ratio_is_barrels_over_tonnes_in_years_with_both():
    btc = pd.DataFrame(
        {
            "year": [2021, 2021, 2022, 2022, 2023],
            "measure": ["total_mt", "turkish_section_mbbl"] * 2 + ["total_mt"],
            "value": [10.0, 76.0, 20.0, 150.0, 5.0],
        }
    )
    # 7.6 and 7.5; 2023 has tonnes only and is ignored
    assert chain.btc_bbl_per_tonne(btc) == pytest.approx(7.55)


def test_btc_ratio_needs_an_overlapping_year():
    btc = pd.DataFrame({"year": [2021, 2022], "measure": ["total_mt", "turkish_section_mbbl"], "value": [10.0, 76.0]})
    with pytest.raises(LookupError):
        chain.btc_bbl_per_tonne(btc)


def _legs(**over):
    rows = {
        "aktau_berths": dict(capacity=7.5, capacity_unit="Mt/yr", use=3.0, use_unit="Mt", use_year=2023),
        "aktau_berths_rebuilt": dict(capacity=12.5, capacity_unit="Mt/yr", use=None, use_unit=None, use_year=None),
        "caspian_tankers": dict(capacity=1.5, capacity_unit="Mt/yr", use=1.4, use_unit="Mt", use_year=2024),
        "btc_pipeline": dict(capacity=1000, capacity_unit="kb/d", use=182.5, use_unit="million bbl", use_year=2024),
        "cpc_kazakh_section": dict(capacity=72.5, capacity_unit="Mt/yr", use=60.0, use_unit="Mt", use_year=2025),
    }
    rows.update(over)
    df = pd.DataFrame([dict(leg_id=k, name=k, **v) for k, v in rows.items()])
    return chain.chain_table(df, btc_ratio=7.3)


def test_kbd_capacity_and_barrel_use_convert_with_the_ratio():
    t = _legs().set_index("leg_id")
    # 1,000 kb/d x 365.25 / 7.3 = 50.03 Mt/yr; 182.5 million bbl / 7.3 = 25 Mt
    assert t.loc["btc_pipeline", "capacity_mt"] == pytest.approx(365.25 / 7.3)
    assert t.loc["btc_pipeline", "use_mt"] == pytest.approx(25.0)
    assert t.loc["btc_pipeline", "spare_mt"] == pytest.approx(365.25 / 7.3 - 25.0)
    assert t.loc["aktau_berths", "utilisation_pct"] == pytest.approx(40.0)


def test_the_tightest_link_binds():
    t = _legs()
    with_fleet = chain.binding_constraint(t, cpc_kazakh_mt=60.0, include_estimates=True)
    assert with_fleet["binding_leg"] == "caspian_tankers" and with_fleet["ceiling_mt"] == pytest.approx(1.5)
    published = chain.binding_constraint(t, cpc_kazakh_mt=60.0, include_estimates=False)
    assert published["binding_leg"] == "aktau_berths" and published["share_of_cpc_pct"] == pytest.approx(12.5)


def test_when_btc_is_nearly_full_it_binds():
    t = _legs(btc_pipeline=dict(capacity=1000, capacity_unit="kb/d", use=357.7, use_unit="million bbl"))  # 49 of 50 Mt
    assert chain.binding_constraint(t, 60.0, include_estimates=False)["binding_leg"] == "btc_pipeline"


def test_scenarios_never_exceed_btc_room():
    plans = pd.DataFrame({"plan_id": ["btc_2027", "aktau_kuryk_20"], "volume_mt_per_year": [7.0, 80.0]})
    sc = chain.scenarios(_legs(), plans, 60.0).set_index("basis")
    assert sc.loc["aktau_kuryk_20", "ceiling_mt"] == pytest.approx(365.25 / 7.3 - 25.0)  # capped by BTC's room
    assert sc.loc["btc_2027", "share_of_cpc_pct"] == pytest.approx(100 * 7 / 60)


def test_leg_lengths_are_geodesic_and_close_to_reported_for_the_pipelines():
    lengths = chain.leg_lengths(data.load_legs()).set_index("leg_id")
    # a schematic line is never longer than the pipe it stands for, nor absurdly shorter
    for leg in ("cpc_pipeline", "btc", "baku_supsa"):
        assert 0.6 < 1 / lengths.loc[leg, "reported_over_schematic"] <= 1.0, leg
    assert 300 < lengths.loc["aktau_sangachal", "schematic_km"] < 500


def test_one_room_function_gives_both_the_ceiling_and_the_room():
    room = chain.trans_caspian_room(_legs())
    assert room["ceiling_mt"] == pytest.approx(7.5) and room["ceiling_leg"] == "aktau_berths"
    assert room["room_mt"] == pytest.approx(7.5 - 3.0)  # capacity less what the berths load
    assert room["ceiling_fleet_mt"] == pytest.approx(1.5) and room["ceiling_fleet_leg"] == "caspian_tankers"
    assert room["room_expanded_mt"] == pytest.approx(12.5 - 3.0)


def test_straight_line_between_sites_is_geodesic_and_a_lower_bound():
    km = chain.straight_line_km("tengiz", "aktau")
    assert 300 < km < 360  # about 330 km between the field and the port, as the crow flies
    assert chain.straight_line_km("aktau", "tengiz") == pytest.approx(km)
