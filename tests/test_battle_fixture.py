"""The battle fixture: twelve articles from many mouths about one battle, against their hand gold."""
import pytest

from tests.battle_scoring import battle_shape, claim_scores, extract_fixture, match_claims


@pytest.fixture(scope="module")
def battle():
    return extract_fixture()


@pytest.fixture(scope="module")
def scores(battle):
    return claim_scores(match_claims(battle))


def test_claimant_recall_is_at_least_90_percent(scores):
    assert scores["claimant_recall"] >= 90


def test_claimant_accuracy_is_at_least_95_percent(scores):
    assert scores["claimant_accuracy"] >= 95


def test_statement_dates_are_at_least_95_percent_right(scores):
    assert scores["statement_date_accuracy"] >= 95


def test_attribution_chains_are_mostly_right(scores):
    assert scores["via_accuracy"] >= 80


@pytest.mark.parametrize("step", range(3), ids=["taken", "retaken by IS", "taken again"])
def test_the_shape_of_the_battle_is_recovered(battle, step):
    point = battle_shape(battle)[step]
    assert point["share_ok"] and point["status_ok"] and point["independent_ok"], point


def test_the_taking_again_rests_on_two_independent_sources(battle):
    events = battle.events
    final = events[events["location"].eq("Abu Kamal") & events["event_date"].eq("2017-11-19")
                   & events["sub_event_type"].eq("Government regains territory")]
    assert len(final) == 1 and final.iloc[0]["n_independent_sources"] >= 2
    assert final.iloc[0]["status"] == "corroborated"
