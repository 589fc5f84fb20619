import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.events import date_range


def test_month_precision_codes_the_fifteenth():
    assert date_range("2017-10", "month", "2017-11-19") == {
        "event_date": "2017-10-15", "date_start": "2017-10-01", "date_end": "2017-10-31", "time_precision": 3}


def test_current_month_range_ends_at_the_anchor():
    assert date_range("2017-11", "month", "2017-11-19")["date_end"] == "2017-11-19"


def test_week_is_a_span_with_its_middle_as_event_date():
    assert date_range("2017-W46", "week", None) == {
        "event_date": "2017-11-16", "date_start": "2017-11-13", "date_end": "2017-11-19", "time_precision": 2}


def test_impossible_period_gives_no_dates():
    assert date_range("2017-13", "month", None)["event_date"] is None


def test_government_capture_with_a_share(corpus_of):
    ds = corpus_of({"text": "The Syrian army has captured 80 percent of the city of al-Bukamal from IS, al-Watan said."})
    event = ds.events.iloc[0]
    assert (event["event_type"], event["sub_event_type"], event["actor1"], event["actor2"], event["location"],
            event["control_share"], event["event_date"], event["status"]) == (
        "Battles", "Government regains territory", "Military Forces of Syria", "Islamic State", "Abu Kamal",
        0.8, "2017-11-19", "reported")


def test_party_self_report_makes_the_claimant_the_actor_and_is_claimed(corpus_of):
    ds = corpus_of({"text": "The Russian Defense Ministry said that six Tu-22M3 bombers struck IS positions in Raqqa."})
    event = ds.events.iloc[0]
    assert (event["sub_event_type"], event["actor1"], event["quantity"], event["status"]) == (
        "Air/drone strike", "Military Forces of Russia", "6 Tu-22M3 bombers", "claimed")


def test_intentions_are_not_events(corpus_of):
    ds = corpus_of({"text": "The Syrian army is preparing to capture the city of Raqqa."})
    assert ds.events.empty


def test_reports_of_one_happening_merge_across_articles(corpus_of):
    ds = corpus_of({"text": "The Syrian army captured the city of Raqqa from IS on Sunday, al-Watan said."},
                   {"text": "The Syrian army captured the city of Raqqa from IS on Sunday, the Syrian Observatory for Human Rights said.",
                    "outlet": "Reuters"})
    assert len(ds.events) == 1
    event = ds.events.iloc[0]
    assert (event["n_sources"], event["n_independent_sources"], event["status"]) == (2, 2, "corroborated")
    assert event["source"] == "Xinhua; Reuters" and len(event["claim_ids"].split("; ")) == 2


def test_two_outlets_relaying_one_origin_are_one_independent_source(corpus_of):
    ds = corpus_of({"text": "The Syrian army captured the city of Raqqa from IS on Sunday, al-Watan said."},
                   {"text": "The Syrian army captured the city of Raqqa from IS on Sunday, al-Watan said.", "outlet": "Reuters"})
    event = ds.events.iloc[0]
    assert (event["n_sources"], event["n_independent_sources"], event["status"]) == (2, 1, "reported")


def test_declared_capture_reversed_later_is_contested(corpus_of):
    ds = corpus_of({"text": "On Nov. 9, the Syrian forces declared capturing al-Bukamal from IS, "
                            "but on Nov. 11, the IS launched a counter-offensive clawing back the city."})
    events = ds.events.set_index("event_date")
    assert events.loc["2017-11-09", "status"] == "contested"
    assert events.loc["2017-11-11", ["sub_event_type", "actor2", "control_share"]].tolist() == [
        "Non-state actor overtakes territory", "Military Forces of Syria", 0.0]


def test_vague_death_toll_follows_acled_dozens_rule(corpus_of):
    ds = corpus_of({"text": "Russian warplanes bombed Raqqa, killing dozens of militants, the Syrian Observatory for Human Rights said."})
    assert ds.events.iloc[0]["fatalities"] == 12


def test_event_in_a_relative_clause_does_not_take_the_main_clause_place(corpus_of):
    ds = corpus_of({"text": "Raqqa is close to areas in the desert, which have recently been stormed by the Iraqi army."})
    assert not ds.events["location"].eq("Raqqa").any()


def test_claims_point_at_their_events(corpus_of):
    ds = corpus_of({"text": "The Syrian army captured the city of Raqqa from IS on Sunday, al-Watan said."})
    claim = ds.claims[ds.claims["claimant"].eq("al-Watan")].iloc[0]
    assert claim["event_ids"] == ds.events.iloc[0]["event_id"]
    assert pd.isna(ds.events.iloc[0]["fatalities"])


def test_conflicting_tolls_code_the_lowest_and_note_the_dispute(corpus_of):
    ds = corpus_of({"text": "Russian warplanes bombed Raqqa on Sunday, killing 25 militants, the Syrian Observatory for Human Rights said."},
                   {"text": "Russian warplanes bombed Raqqa on Sunday, killing 40 militants, the Russian Defense Ministry said.",
                    "outlet": "TASS"})
    event = ds.events.iloc[0]
    assert event["fatalities"] == 25 and "Fatalities disputed" in event["notes"]


def test_two_control_shares_for_the_same_day_contest_the_event(corpus_of):
    ds = corpus_of({"text": "The Syrian army captured 80 percent of Raqqa from IS on Sunday, al-Watan said."},
                   {"text": "The Syrian army captured 40 percent of Raqqa from IS on Sunday, the Syrian Observatory for Human Rights said.",
                    "outlet": "Reuters"})
    event = ds.events.iloc[0]
    assert event["status"] == "contested" and "Control shares disagree" in event["notes"]


def test_where_an_attack_came_from_is_not_where_it_happened(corpus_of):
    ds = corpus_of({"text": "Six Tu-22M3 bombers flying from Mozdok in southern Russia struck IS positions around Abu Kamal, "
                            "the Russian Defense Ministry said."})
    assert ds.events["location"].tolist() == ["Abu Kamal"]


def test_background_with_no_date_is_not_an_event(corpus_of):
    ds = corpus_of({"text": "IS overran large parts of Syria and Iraq in 2014."})
    assert ds.events.empty


def test_merging_through_the_index_equals_comparing_with_every_event(monkeypatch):
    """merge_events' _HappeningIndex only narrows the candidates: merging random reports (days, ranges,
    inverted ranges, no start, unknown actors) gives the same events as trying every merged event in order."""
    import random

    from analysis import events

    class EveryEvent:  # what the index stands in for
        def __init__(self):
            self.merged = []

        def add(self, event):
            if not any(e is event for e in self.merged):
                self.merged.append(event)

        def refile(self, event):
            pass

        def first_same(self, report):
            return next((e for e in self.merged if events._same_happening(e, report)), None)

    rng = random.Random(7)

    def day_():  # few days, so that reports meet often
        return f"2017-{rng.randint(10, 11):02d}-{rng.randint(1, 6):02d}"

    def when():
        day = day_()
        shape = rng.random()
        if shape < 0.5:
            return day, day, 1
        if shape < 0.65:
            return day[:8] + "01", day[:8] + "30", 3
        if shape < 0.75:
            return day, day_(), 2  # sometimes inverted
        if shape < 0.85:
            return "2017-01-01", "2017-12-31", 3
        if shape < 0.95:
            return None, day, 2  # "on or before": no start
        return day, day_(), 1  # a "day" spanning days, sometimes inverted

    def report(n):
        start, end, precision = when()
        return {"claim_id": f"C{n:05d}", "kind": rng.choice(["clash", "clash", "territory", "control"]),
                "stance": rng.choice([None, None, None, "against"]), "location": rng.choice(["Hama", "Mosul", None]),
                "event_type": rng.choice(["Battles", "Explosions/Remote violence"]),
                "actor1": rng.choice(["A", "B", None]), "actor2": rng.choice(["A", "B", None]),
                "event_date": start or end, "date_start": start, "date_end": end, "time_precision": precision,
                "trigger": "x", "sub_event_type": None, "share_said": None, "held_share": 0.5}

    def summary(merged):
        return [(e["event_date"], e["date_start"], e["date_end"], [r["claim_id"] for r in e["reports"]]) for e in merged]

    for _ in range(5):
        raw = [report(n) for n in range(600)]
        indexed = summary(events.merge_events([dict(r) for r in raw]))
        with monkeypatch.context() as patch:
            patch.setattr(events, "_HappeningIndex", EveryEvent)
            compared = summary(events.merge_events([dict(r) for r in raw]))
        assert indexed == compared
        assert any(len(claims) > 1 for *_, claims in indexed)  # the reports do merge


def test_a_capture_only_planned_or_hoped_for_is_no_event(corpus_of):
    ds = corpus_of({"text": "The Syrian army would have captured Raqqa, the ministry said."},
                   {"text": "The Syrian army is close to recapturing Raqqa, the ministry said."},
                   {"text": "The Syrian army is trying to quickly overrun Raqqa, the ministry said."},
                   {"text": "The Syrian army captured Raqqa, the ministry said."})
    assert ds.articles["n_events"].tolist() == [0, 0, 0, 1]


def test_trigger_shortcut_finds_what_the_trigger_pattern_finds():
    from analysis.events import _lowered, _trigger_spans, triggers
    texts = ["IS CAPTURED the town, recaptured it; uncaptured captured_ 3captured Took Over x-seized.",
             "Jets bombed it and the depots were hit.", "The depotswere hit twice", "mistook over befell to",
             "Troops LAUNCHED A COUNTER-OFFENSIVE and fought", "seized", "", "Ça captured",
             "captured", "captured,seized;hit.struck(took over)shelled", "hit hit  hit\nhit-hit"]
    for text in texts:
        full = [m.span() for m in triggers().pattern.finditer(text)]
        assert _trigger_spans(text, _lowered(text)) == full, text


# Pieces around trigger words: their ends, joiners, word characters that glue on, other cases.
TRIGGER_PARTS = st.sampled_from(
    ["captured", "CAPTURED", "recaptured", "took", "Took", "over", "control", "of", "hit", "were",
     " ", "  ", "-", ",", "\n", "x", "_", "3", "é", "\u212a"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TRIGGER_PARTS, max_size=14).map("".join))
def test_trigger_spans_are_what_the_trigger_pattern_finds(text):
    from analysis.events import _lowered, _trigger_spans, triggers
    assert _trigger_spans(text, _lowered(text)) == [m.span() for m in triggers().pattern.finditer(text)]


SUBORDINATE_PARTS = st.sampled_from(
    ["after", "AFTER", "Since", "that", "began", "which", "until", " ", "  ", "-", ",", "\n", "x", "_", "3", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SUBORDINATE_PARTS, max_size=12).map("".join), st.integers(0, 40))
def test_subordinate_time_is_what_its_search_finds(text, after):
    from analysis.events import SUBORDINATE_TIME, _lowered, _subordinate_time
    after = min(after, len(text))
    m = SUBORDINATE_TIME.search(text, after)
    assert _subordinate_time(text, _lowered(text), after) == (m.start() if m else None)


def test_main_adversary_is_the_most_named_other_side_and_the_first_named_of_a_tie():
    from analysis.actors import Actor
    from analysis.events import _main_adversary
    from analysis.offsets import Spans

    def actor(name, acled):
        return Actor(name, "armed", "", True, 2, acled, "", None, (), "actor")

    army, regime, rebels, jihadists = (actor("army", "Army"), actor("regime", "Army"),
                                       actor("rebels", "Rebels"), actor("IS", "IS"))
    named = [army, rebels, jihadists, regime, jihadists, actor("press", None), actor("agency", "")]
    mentions = Spans([{"start": i, "end": i + 1, "actor": a} for i, a in enumerate(named)])
    context: dict = {}
    assert _main_adversary(mentions, rebels, context) is army  # Army and IS twice each: Army first named
    assert _main_adversary(mentions, regime, context) is jihadists
    assert _main_adversary(mentions, None, context) is None
    assert _main_adversary(Spans([{"start": 0, "end": 1, "actor": army}]), army, context) is None


# Pieces around the words that rule a trigger out or make a strike an air strike.
RULE_PARTS = st.sampled_from(
    ["will", "WILL", "have", "in order", "to", "close", "captured", "air", "strikes", "Jets", "shelling", "drone",
     " ", "  ", "\n", "-", ",", "x", "_", "3", "é", "\u212a"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(RULE_PARTS, max_size=10).map("".join))
def test_edge_twins_find_what_the_rule_patterns_find(text):
    from analysis.events import _finds, _lowered, triggers
    rules = triggers()
    for pattern, edge in [(rules.not_happened, rules.not_happened_edge), (rules.air, rules.air_edge),
                          (rules.shelling, rules.shelling_edge)]:
        assert edge is not None
        for pos in range(len(text) + 1):
            for endpos in range(pos, len(text) + 1):
                expected = pattern.search(text, pos, endpos) is not None
                assert _finds(pattern, edge, text, _lowered(text), pos, endpos) == expected
