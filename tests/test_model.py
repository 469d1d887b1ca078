"""The route-capacity model: hand-checked cases and properties that must always hold."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oilroutes import model
from oilroutes.model import Network

ROUTES = {"sea": ("port", "pipe"), "north": ("north",), "east": ("east",), "russia_port": ("port",)}


def _net(port=4.0, pipe=30.0, north=6.0, east=3.0, cpc=60.0):
    return Network({"port": port, "pipe": pipe, "north": north, "east": east}, ROUTES, cpc)


def test_small_outage_is_fully_rerouted_preferred_route_first():
    o = model.reroute(_net(), depth=0.1, months=1)       # 0.1 x 60 / 12 = 0.5 Mt
    assert o.lost_mt == pytest.approx(0.5)
    assert o.shortfall_mt == 0.0
    # the preferred sea route is full at the port's room for one month (4 / 12); the rest goes north
    assert o.rerouted_mt["sea"] == pytest.approx(4 / 12)
    assert o.rerouted_mt["north"] == pytest.approx(0.5 - 4 / 12)


def test_a_chain_carries_no_more_than_its_tightest_leg():
    # over 12 months the sea route is limited by the port (4), not the pipe (30)
    o = model.reroute(_net(port=4.0, north=0, east=0), depth=1.0, months=12)
    assert o.rerouted_mt["sea"] + o.rerouted_mt["russia_port"] == pytest.approx(4.0)
    assert o.shortfall_mt == pytest.approx(60 - 4)


def test_shared_leg_is_not_counted_twice():
    o = model.reroute(_net(north=0, east=0), depth=1.0, months=6)   # port spare over 6 months = 2
    assert o.rerouted_mt["sea"] + o.rerouted_mt["russia_port"] == pytest.approx(2.0)


def test_hand_checked_full_case_and_revenue():
    # 50% for 6 months: lost 15 Mt; room over 6 months: port 2 + north 3 + east 1.5 = 6.5; shortfall 8.5
    o = model.reroute(_net(), depth=0.5, months=6, brent_usd=80, bbl_per_tonne=7.5)
    assert o.lost_mt == pytest.approx(15.0)
    assert o.rerouted_total_mt == pytest.approx(6.5)
    assert o.shortfall_mt == pytest.approx(8.5)
    assert o.revenue_at_risk_musd == pytest.approx(8.5 * 7.5 * 80)      # million barrels x $/bbl


@pytest.mark.parametrize("kw", [dict(depth=-0.1, months=1), dict(depth=1.1, months=1), dict(depth=0.5, months=13), dict(depth=0.5, months=-1)])
def test_impossible_outages_are_refused(kw):
    with pytest.raises(ValueError):
        model.reroute(_net(), **kw)


def test_network_refuses_routes_over_unknown_legs_and_negative_room():
    with pytest.raises(KeyError):
        Network({"port": 1.0}, {"sea": ("port", "pipe")})
    with pytest.raises(ValueError):
        Network({"port": -1.0}, {"sea": ("port",)})


def test_the_real_network_reroutes_less_than_it_loses_in_a_deep_long_outage():
    net = model.network_from_data()
    o = model.reroute(net, 1.0, 12)
    assert o.shortfall_mt > 0.5 * o.lost_mt
    assert model.expansion_network().spare_mt_per_year["aktau_berths"] > net.spare_mt_per_year["aktau_berths"]


spare = st.floats(min_value=0, max_value=40, allow_nan=False)
depths = st.floats(min_value=0, max_value=1, allow_nan=False)
monthses = st.floats(min_value=0, max_value=12, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, depth=depths, months=monthses)
def test_nothing_negative_and_no_leg_over_its_capacity(port, pipe, north, east, depth, months):
    net = _net(port, pipe, north, east)
    o = model.reroute(net, depth, months)
    assert all(v >= -1e-9 for v in o.rerouted_mt.values())
    assert o.shortfall_mt >= -1e-9 and o.revenue_at_risk_musd >= -1e-6
    for leg, room in net.spare_mt_per_year.items():
        used = sum(v for r, v in o.rerouted_mt.items() if leg in net.routes[r])
        assert used <= room * months / 12 + 1e-6
    assert o.rerouted_total_mt + o.shortfall_mt == pytest.approx(o.lost_mt, abs=1e-6)


@settings(max_examples=120, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, d1=depths, d2=depths, months=monthses)
def test_shortfall_never_falls_as_the_outage_deepens(port, pipe, north, east, d1, d2, months):
    net = _net(port, pipe, north, east)
    lo, hi = sorted((d1, d2))
    assert model.reroute(net, hi, months).shortfall_mt >= model.reroute(net, lo, months).shortfall_mt - 1e-6


@settings(max_examples=60, deadline=None)
@given(port=spare, pipe=spare, north=spare, east=spare, months=monthses)
def test_a_zero_outage_changes_nothing(port, pipe, north, east, months):
    o = model.reroute(_net(port, pipe, north, east), 0.0, months)
    assert o.lost_mt == 0 and o.shortfall_mt == 0 and o.rerouted_total_mt == 0 and o.revenue_at_risk_musd == 0
