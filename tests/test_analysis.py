"""Derived figures, checked by hand against the data rows they come from."""

import pandas as pd
import pytest

from oilroutes import analysis, quoted


@pytest.fixture(scope="module")
def split():
    return analysis.route_split()


def test_cpc_share_2022_is_52_of_64_3(split):
    # CPC 52 Mt (NUS) over the published total of 64.3 Mt (Astana Times)
    assert analysis.value(split, "share_pct", year=2022, route_id="cpc") == pytest.approx(100 * 52 / 64.3)


def test_sub_routes_replace_their_parent_without_double_counting(split):
    y2023 = split[split["year"] == 2023].set_index("route_id")
    # Aktau's 3.376 Mt is fully itemised (1.392 BTC + 1.984 Makhachkala): no parent remainder row
    assert "aktau_sea" not in y2023.index
    assert y2023.loc["aktau_btc", "volume_mt"] + y2023.loc["aktau_makhachkala", "volume_mt"] == pytest.approx(3.376)
    # The German flow is inside Atyrau-Samara and must never be added on top
    assert "druzhba_germany" not in set(split["route_id"])


def test_parent_remainder_is_kept_when_sub_routes_do_not_cover_it(split):
    y2022 = split[split["year"] == 2022].set_index("route_id")
    assert y2022.loc["aktau_sea", "volume_mt"] == pytest.approx(2.0 - 0.25)


def test_each_year_adds_up_to_its_total(split):
    for year, g in split.groupby("year"):
        assert g["volume_mt"].sum() == pytest.approx(g["total_mt"].iloc[0]), year


def test_unitemised_part_is_total_minus_itemised(split):
    # 2025: 78.7 Mt exported; itemised: CPC 63.8, BTC 1.5, Atyrau-Samara 8.8, China 1.0, Makhachkala 2.2 Mt
    assert analysis.value(split, "volume_mt", year=2025, route_id="not_itemised") == pytest.approx(
        78.7 - 63.8 - 1.5 - 8.8 - 1.0 - 2.2
    )


def test_partial_year_is_labelled_and_not_mixed_with_full_year_totals(split):
    y2024 = split[split["year"] == 2024]
    assert set(y2024["year_label"]) == {"2024 (Jan–Oct)"}
    assert y2024["total_mt"].iloc[0] == pytest.approx(y2024["volume_mt"].sum())


def test_russia_share_is_a_range_that_contains_the_certain_routes(split):
    share = analysis.russia_share(split).set_index("year")
    # 2022: CPC 52 + Atyrau-Samara 8 certainly cross Russia: 60 / 64.3
    assert share.loc[2022, "share_low_pct"] == pytest.approx(100 * 60 / 64.3)
    assert (share["share_low_pct"] <= share["share_high_pct"]).all()
    assert (share["share_high_pct"] <= 100 + 1e-9).all()


def test_a_year_uses_the_period_that_itemises_most_routes(split):
    # 2024 has full-year figures for three routes but January-October figures for six
    assert set(split.loc[split["year"] == 2024, "period"]) == {"jan_oct"}
    exports = pd.DataFrame(
        {
            "year": [2030, 2030, 2030],
            "period": ["full_year", "jan_oct", "jan_oct"],
            "route_id": ["cpc", "cpc", "rail"],
            "volume_mt": [1.0, 0.8, 0.1],
            "preferred": [True, True, True],
            "estimate": [False] * 3,
            "source": ["a"] * 3,
        }
    )
    totals = pd.DataFrame({"year": [], "period": [], "exports_mt": [], "preferred": [], "source": []})
    assert set(analysis.route_split(exports, totals)["period"]) == {"jan_oct"}


def test_value_refuses_ambiguous_lookups(split):
    with pytest.raises(LookupError):
        analysis.value(split, "volume_mt", route_id="cpc")


def test_introduction_numbers_are_the_hand_checked_ones():
    n = quoted.introduction()
    assert n["cpc_mt_2022"] == 52.0
    assert n["exports_2025"] == 78.7
    assert n["btc_mt_2023"] == pytest.approx(1.392)


def test_year_with_a_total_but_no_split_is_one_unitemised_bar(split):
    y2021 = split[split["year"] == 2021]
    assert list(y2021["route_id"]) == ["not_itemised"]
    assert y2021["volume_mt"].iloc[0] == pytest.approx(67.6)
    assert 2021 not in set(analysis.russia_share(split)["year"])


def test_production_and_exports_keeps_unsourced_years_as_gaps():
    pe = analysis.production_and_exports().set_index("year")
    assert list(pe.index) == list(range(2015, 2026))
    assert pd.isna(pe.loc[2018, "exports_mt"])  # no published total
    assert pd.isna(pe.loc[2025, "production_mt"])  # not yet published
    assert pe.loc[2022, "export_share_pct"] == pytest.approx(100 * 64.3 / 84.2)


def test_ownership_groups_add_up_to_the_whole_consortium():
    own = analysis.ownership_by_group().set_index("group")["stake_pct"]
    assert own.sum() == pytest.approx(100)
    assert own["Russian state"] == pytest.approx(31)  # 24 + 7 (Interfax)
    assert own["Kazakh state"] == pytest.approx(20.75)  # 19 + 1.75


def test_fastest_growing_route_between_2022_and_2023_is_cpc(split):
    route, growth = analysis.fastest_growing_route(split, 2022, 2023)
    assert route == "cpc" and growth == pytest.approx(56.0 - 52.0)


def test_fastest_growing_route_needs_two_itemised_years(split):
    with pytest.raises(LookupError):
        analysis.fastest_growing_route(split, 2021, 2023)


def test_dependence_numbers_are_the_hand_checked_ones(split):
    n = quoted.dependence(split)
    assert n["eu_rank_2024"] == "3rd" and n["eu_rank_2022"] == "5th"
    assert n["eu_share_of_exports_2023"] == pytest.approx(100 * 46.6 / 70.5)
    assert n["own_russia_linked"] == pytest.approx(31 + 12.5 + 7.5)
    assert n["italy_customs_2023"] == pytest.approx(24.2)


def test_btc_numbers_follow_from_the_chain_table():
    from oilroutes import chain

    n = quoted.btc()
    t = chain.chain_table().set_index("leg_id")
    assert n["aktau_capacity"] == pytest.approx(7.5)  # Aktau oil berths bind
    assert n["ceiling_port_share"] == pytest.approx(100 * 7.5 / 63.8)
    assert n["aktau_room"] == pytest.approx(7.5 - 3.376)  # the room chapter 4 uses too
    assert n["kz_btc_2024_other"] == pytest.approx(1.7)  # the non-preferred figure, found by meaning
    assert n["btc_spare_mt"] == pytest.approx(t.loc["btc_pipeline", "capacity_mt"] - t.loc["btc_pipeline", "use_mt"])
    assert n["trans_caspian_km"] > n["cpc_reported_km"]
