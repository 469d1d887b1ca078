"""The 2022 claims: every claim judged, by its rule, with evidence from the data."""

import pytest

from oilroutes import conclusions, data


@pytest.fixture(scope="module")
def checked():
    return conclusions.check_claims().set_index("claim_id")


def test_every_claim_of_the_article_gets_one_known_verdict(checked):
    assert set(checked.index) == set(data.load("article_claims")["claim_id"])
    assert set(checked["verdict"]) <= set(conclusions.VERDICTS)


@pytest.mark.parametrize("claim, verdict", [
    ("via_russia", "supported"),          # at least 93% of 2022 exports crossed Russia
    ("court_after_call", "supported"),    # call on 4 July, ruling on 5 July
    ("storm_months", "not supported"),    # the last mooring was back after 32 days
    ("ninth_exporter", "unverified"),     # no citable world ranking was found
    ("btc_alternative", "partly"),
])
def test_verdicts_follow_their_rules(checked, claim, verdict):
    assert checked.loc[claim, "verdict"] == verdict


def test_evidence_quotes_the_data(checked):
    assert "70.5 Mt" in checked.loc["europe_two_thirds", "evidence"]
    assert "32 days" in checked.loc["storm_months", "evidence"]
    assert all(checked["sources"].str.len() > 0)


def test_conclusion_numbers_count_the_verdicts(checked):
    n = conclusions.conclusion_numbers(checked.reset_index())
    assert n["n_claims"] == len(checked)
    assert sum(n[f"n_{v.replace(' ', '_')}"] for v in conclusions.VERDICTS) == len(checked)
