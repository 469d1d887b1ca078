"""The route-capacity model: hand-checked cases and properties that must always hold."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilroutes import chain, model, quoted
from oilroutes.model import Network

ROUTES = {"sea": ("port", "pipe"), "north": ("north",), "east": ("east",), "russia_port": ("port",)}
CROSSES = {"sea": "no", "north": "yes", "east": "no", "russia_port": "yes"}


def _net(
    port=4.0, pipe=30.0, north=6.0, east=3.0, cpc=60.0, crosses=None, order=("north", "russia_port", "east", "sea")
):
    # the order deliberately lists Russian routes first: the preference must come from CROSSES, not from order
    return Network({"port": port, "pipe": pipe, "north": north, "east": east}, ROUTES, crosses or CROSSES, cpc, order)


def test_small_outage_is_fully_rerouted_on_routes_that_avoid_russia_first():
    o = model.reroute(_net(), depth=0.1, months=1, brent_usd=80, bbl_per_tonne=7.5)  # 0.1 x 60 / 12 = 0.5 Mt
    assert o.lost_mt == pytest.approx(0.5) and o.shortfall_mt == 0.0
    # east (3/12 = 0.25) and sea (port 4/12 = 0.333) avoid Russia and can take it all: north carries nothing
    assert o.rerouted_mt["north"] == pytest.approx(0.0, abs=1e-9)
    assert o.rerouted_mt["east"] + o.rerouted_mt["sea"] == pytest.approx(0.5)


def test_the_preference_follows_the_data_not_the_code_order():
    flipped = {"sea": "yes", "north": "no", "east": "yes", "russia_port": "yes"}
    o = model.reroute(_net(crosses=flipped), depth=0.1, months=1, brent_usd=80, bbl_per_tonne=7.5)
    assert o.rerouted_mt["north"] == pytest.approx(0.5)  # now north is the one route that avoids Russia


def test_a_chain_carries_no_more_than_its_tightest_leg():
    o = model.reroute(_net(port=4.0, north=0, east=0), depth=1.0, months=12, brent_usd=80, bbl_per_tonne=7.5)
    assert o.rerouted_mt["sea"] + o.rerouted_mt["russia_port"] == pytest.approx(4.0)
    assert o.rerouted_mt["sea"] == pytest.approx(4.0)  # the shared port goes to the route avoiding Russia
    assert o.shortfall_mt == pytest.approx(60 - 4)


def test_hand_checked_full_case_and_revenue():
    # 50% for 6 months: lost 15 Mt; room over 6 months: port 2 + north 3 + east 1.5 = 6.5; shortfall 8.5
    o = model.reroute(_net(), depth=0.5, months=6, brent_usd=80, bbl_per_tonne=7.5)
    assert o.lost_mt == pytest.approx(15.0)
    assert o.rerouted_total_mt == pytest.approx(6.5)
    assert o.shortfall_mt == pytest.approx(8.5)
    assert o.revenue_at_risk_musd == pytest.approx(8.5 * 7.5 * 80)  # million barrels x $/bbl


@pytest.mark.parametrize(
    "kw",
    [dict(depth=-0.1, months=1), dict(depth=1.1, months=1), dict(depth=0.5, months=13), dict(depth=0.5, months=-1)],
)
def test_impossible_outages_are_refused(kw):
    with pytest.raises(ValueError):
        model.reroute(_net(), brent_usd=80, bbl_per_tonne=7.5, **kw)


def test_network_refuses_routes_over_unknown_legs_negative_room_and_unknown_transit():
    with pytest.raises(KeyError):
        Network({"port": 1.0}, {"sea": ("port", "pipe")}, {"sea": "no"}, 60.0)
    with pytest.raises(ValueError):
        Network({"port": -1.0}, {"sea": ("port",)}, {"sea": "no"}, 60.0)
    with pytest.raises(KeyError):
        Network({"port": 1.0}, {"sea": ("port",)}, {"sea": "perhaps"}, 60.0)


def test_the_real_network_reads_its_preference_and_defaults_from_the_data():
    net = model.network_from_data()
    assert net.preference()[:3] == [
        "aktau_btc",
        "aktau_supsa",
        "kazakhstan_china",
    ]  # the routes with crosses_russia = no
    assert net.routes["kazakhstan_china"] == ("kenkiyak_atyrau", "kenkiyak_kumkol", "kcp")
    o = model.reroute(net, 1.0, 12)
    assert o.shortfall_mt > 0.5 * o.lost_mt
    assert o.rerouted_mt["kazakhstan_china"] == pytest.approx(
        min(net.spare_mt_per_year[leg] for leg in net.routes["kazakhstan_china"])
    )


def test_chapters_3_and_4_quote_one_trans_caspian_room():
    room = chain.trans_caspian_room(chain.chain_table())
    assert model.network_from_data().spare_mt_per_year["aktau_berths"] == pytest.approx(room["room_mt"])
    assert quoted.btc()["aktau_room"] == pytest.approx(quoted.scenarios()["spare_aktau"])
    assert model.expansion_network().spare_mt_per_year["aktau_berths"] == pytest.approx(
        room["berths_spare_expanded_mt"]
    )


def test_exercise_4_1_the_deepest_outage_without_shortfall_does_not_depend_on_length():
    net = model.network_from_data()
    limits = {m: model.max_depth_without_shortfall(net, m) for m in (1, 3, 6, 12)}
    assert len(set(limits.values())) == 1 and 0 < limits[1] < 1


def test_exercise_4_2_the_tanker_limit_moves_oil_from_btc_to_makhachkala_and_keeps_the_total():
    a = model.reroute(model.network_from_data(), 0.5, 6)
    b = model.reroute(model.network_from_data(include_tankers=True), 0.5, 6)
    assert b.rerouted_mt["aktau_btc"] < a.rerouted_mt["aktau_btc"]
    assert b.rerouted_mt["aktau_makhachkala"] - a.rerouted_mt["aktau_makhachkala"] == pytest.approx(
        a.rerouted_mt["aktau_btc"] - b.rerouted_mt["aktau_btc"], abs=1e-6
    )
    assert b.rerouted_total_mt == pytest.approx(a.rerouted_total_mt)


def test_chapter_4_most_of_the_room_crosses_russia():
    n = quoted.scenarios()
    assert n["room_via_russia"] > n["room_avoiding_russia"]
    assert n["room_via_russia"] + n["room_avoiding_russia"] == pytest.approx(n["room_today"])


def test_the_grid_moves_in_steps_of_five_percent():
    g = model.grid(model.network_from_data(), months=[1])
    assert sorted(set(g["depth_pct"])) == list(range(0, 101, 5))


spare = st.floats(min_value=0, max_value=40, allow_nan=False)
depths = st.floats(min_value=0, max_value=1, allow_nan=False)
monthses = st.floats(min_value=0, max_value=12, allow_nan=False)
transit = st.sampled_from(["no", "yes", "partly"])


@settings(max_examples=150, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, depth=depths, months=monthses)
def test_nothing_negative_and_no_leg_over_its_capacity(port, pipe, north, east, depth, months):
    net = _net(port, pipe, north, east)
    o = model.reroute(net, depth, months, 80, 7.5)
    assert all(v >= -1e-9 for v in o.rerouted_mt.values())
    assert o.shortfall_mt >= -1e-9 and o.revenue_at_risk_musd >= -1e-6
    for leg, room in net.spare_mt_per_year.items():
        used = sum(v for r, v in o.rerouted_mt.items() if leg in net.routes[r])
        assert used <= room * months / 12 + 1e-6
    assert o.rerouted_total_mt + o.shortfall_mt == pytest.approx(o.lost_mt, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    port=spare,
    pipe=spare,
    north=spare,
    east=spare,
    depth=depths,
    months=monthses,
    t1=transit,
    t2=transit,
    t3=transit,
    t4=transit,
)
def test_no_route_across_russia_carries_oil_while_one_avoiding_it_has_room(
    port, pipe, north, east, depth, months, t1, t2, t3, t4
):
    crosses = dict(zip(ROUTES, (t1, t2, t3, t4), strict=True))
    net = _net(port, pipe, north, east, crosses=crosses)
    o = model.reroute(net, depth, months, 80, 7.5)
    scale = months / 12
    used = {leg: sum(v for r, v in o.rerouted_mt.items() if leg in net.routes[r]) for leg in net.spare_mt_per_year}
    has_room = lambda r: all(used[leg] < net.spare_mt_per_year[leg] * scale - 1e-6 for leg in net.routes[r])  # noqa: E731
    open_avoiding = [r for r in ROUTES if crosses[r] == "no" and has_room(r)]
    if open_avoiding:
        for r in ROUTES:
            if crosses[r] != "no":
                assert o.rerouted_mt[r] <= 1e-6, (r, o.rerouted_mt, open_avoiding)


@settings(max_examples=15, deadline=None)
@given(depth=depths, months=st.floats(min_value=0.1, max_value=12, allow_nan=False))
def test_on_the_real_network_russia_is_used_only_when_the_other_routes_are_full(depth, months):
    net = model.network_from_data()
    o = model.reroute(net, depth, months)
    used = {leg: sum(v for r, v in o.rerouted_mt.items() if leg in net.routes[r]) for leg in net.spare_mt_per_year}
    full = lambda r: any(used[leg] >= net.spare_mt_per_year[leg] * months / 12 - 1e-6 for leg in net.routes[r])  # noqa: E731
    if any(v > 1e-6 for r, v in o.rerouted_mt.items() if not net.avoids_russia(r)):
        assert all(full(r) for r in net.routes if net.avoids_russia(r))


@settings(max_examples=120, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, d1=depths, d2=depths, months=monthses)
def test_shortfall_never_falls_as_the_outage_deepens(port, pipe, north, east, d1, d2, months):
    net = _net(port, pipe, north, east)
    lo, hi = sorted((d1, d2))
    assert (
        model.reroute(net, hi, months, 80, 7.5).shortfall_mt
        >= model.reroute(net, lo, months, 80, 7.5).shortfall_mt - 1e-6
    )


@settings(max_examples=60, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, months=monthses)
def test_a_zero_outage_changes_nothing(port, pipe, north, east, months):
    o = model.reroute(_net(port, pipe, north, east), 0.0, months, 80, 7.5)
    assert o.lost_mt == 0 and o.shortfall_mt == 0 and o.rerouted_total_mt == 0 and o.revenue_at_risk_musd == 0


def _solved_for_the_length(net, depth, months):
    """The program written out for one outage (volumes for its length, not yearly rates): the reference
    the model's one-solve-per-depth shortcut must agree with."""
    import numpy as np
    from scipy.optimize import linprog

    names = net.preference()
    share = months / 12
    legs = sorted({leg for r in names for leg in net.routes[r]})
    a = [[1.0 if leg in net.routes[r] else 0.0 for r in names] for leg in legs] + [[1.0] * len(names)]
    b = [net.spare_mt_per_year[leg] * share for leg in legs] + [depth * net.cpc_kazakh_mt_per_year * share]
    first = linprog(-np.ones(len(names)), A_ub=a, b_ub=b, bounds=[(0, None)] * len(names), method="highs")
    n = len(names)
    cost = [(n + 1) ** model.RUSSIA_TIERS[net.crosses_russia[r]] * (n + 1) + i for i, r in enumerate(names)]
    second = linprog(
        cost,
        A_ub=a + [[-1.0] * n],
        b_ub=b + [first.fun + 1e-9 * max(1.0, -first.fun)],
        bounds=[(0, None)] * n,
        method="highs",
    )
    return dict(zip(names, (second if second.success else first).x, strict=True))


@settings(max_examples=120, deadline=None)
@given(
    port=spare, pipe=spare, north=spare, east=spare, depth=depths, months=monthses, crosses=st.tuples(*[transit] * 4)
)
def test_an_outage_is_the_yearly_program_scaled_to_its_length(port, pipe, north, east, depth, months, crosses):
    """The model solves each depth once, as yearly rates, and scales it (chapter 4: both the oil lost and
    the room grow in proportion to the length); that must equal solving each outage on its own."""
    net = _net(port, pipe, north, east, crosses=dict(zip(ROUTES, crosses)))
    o = model.reroute(net, depth, months, 80, 7.5)
    if o.lost_mt == 0:
        return
    direct = _solved_for_the_length(net, depth, months)
    for route, volume in direct.items():
        assert o.rerouted_mt[route] == pytest.approx(volume, abs=1e-6), route


@settings(max_examples=40, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, cpc=st.floats(1, 80), months=monthses.filter(bool))
def test_the_halving_search_finds_the_deepest_outage_every_depth_would(port, pipe, north, east, cpc, months):
    net = _net(port, pipe, north, east, cpc=cpc)
    every = [d for d in range(0, 101, 5) if model.reroute(net, d / 100, months, 80, 7.5).shortfall_mt == 0]
    assert model.max_depth_without_shortfall(net, months, 5) == max(every) / 100


def test_the_halving_search_finds_the_real_networks_limit_to_the_per_cent():
    net = model.network_from_data()
    every = [d for d in range(0, 101) if model.reroute(net, d / 100, 3).shortfall_mt == 0]
    assert model.max_depth_without_shortfall(net, 3) == max(every) / 100


def test_equal_networks_hash_alike_so_the_outage_runs_are_kept_once_per_network(monkeypatch):
    """Chapter 4 runs the 2025 outages through today's network for its prose and for its table: the runs are
    kept per network content (and per data content), so the second asks for them without solving again."""
    today, again, expanded = model.network_from_data(), model.network_from_data(), model.expansion_network()
    assert today == again and hash(today) == hash(again)
    assert today != expanded and hash(today) != hash(expanded)
    # a network no other test has run (the runs are kept for the whole process)
    today, again = model.network_from_data(overrides={"kcp": 0.123}), model.network_from_data(overrides={"kcp": 0.123})
    expanded = model.network_from_data(overrides={"kcp": 0.124})
    solved = []
    reroute = model.reroute
    monkeypatch.setattr(model, "reroute", lambda *a, **k: solved.append(1) or reroute(*a, **k))
    first = model.historical_outages(today)
    runs = len(solved)
    assert runs > 0 and model.historical_outages(again).equals(first) and len(solved) == runs
    model.historical_outages(expanded)
    assert len(solved) == 2 * runs


def test_only_rerouting_imports_the_solver():
    """The chapters that quote figures but reroute no oil do not pay for SciPy's import (a quarter of a second
    of every such kernel); the first rerouting loads it."""
    import subprocess
    import sys

    code = (
        "import sys; from oilroutes import analysis, charts, maps, model, quoted, tables; "
        "print('scipy.optimize' in sys.modules); model.reroute(model.network_from_data(), 0.5, 3); "
        "print('scipy.optimize' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "True"]
