def _one(ds, **match):
    rows = ds.claims
    for key, value in match.items():
        rows = rows[rows[key].eq(value)]
    assert len(rows) == 1, ds.claims[["claimant", "verb", "content"]]
    return rows.iloc[0]


def test_trailing_attribution_names_the_claimant_and_its_day(corpus_of):
    ds = corpus_of({"text": "The army took the town of Raqqa, the pro-government al-Watan newspaper said Sunday."})
    claim = _one(ds, claimant="al-Watan")
    assert (claim["claimant_text"], claim["verb"], claim["statement_date"], claim["content"]) == (
        "the pro-government al-Watan newspaper", "said", "2017-11-19", "The army took the town of Raqqa")


def test_via_chain_runs_from_outlet_to_claimant(corpus_of):
    ds = corpus_of({"text": "The army took the town of Raqqa, al-Watan said."})
    assert _one(ds, claimant="al-Watan")["via"] == "Xinhua < al-Watan"


def test_leading_attribution_with_statement_and_opening_date(corpus_of):
    ds = corpus_of({"text": "A day earlier, the Russian Defense Ministry said in a statement that bombers struck targets in Raqqa."})
    claim = _one(ds, claimant="Russian Defense Ministry")
    assert (claim["statement_date"], claim["content"], claim["attribution"]) == (
        "2017-11-18", "bombers struck targets in Raqqa", "direct")


def test_according_to_is_a_reported_claim(corpus_of):
    ds = corpus_of({"text": "Dozens of militants were killed in Raqqa, according to the Syrian Observatory for Human Rights."})
    claim = ds.claims[ds.claims["attribution"].eq("reported")].iloc[0]
    assert claim["claimant_type"] == "monitor" and claim["content"].startswith("Dozens of militants")


def test_adding_that_is_a_second_claim_by_the_same_claimant(corpus_of):
    ds = corpus_of({"text": "The forces are purging the city, al-Watan said, adding that the army besieged the militants."})
    assert ds.claims[["claimant", "verb"]].values.tolist() == [["al-Watan", "said"], ["al-Watan", "added"]]


def test_back_reference_resolves_to_the_last_matching_claimant(corpus_of):
    ds = corpus_of({"text": "Bombers hit Raqqa, the Russian Defense Ministry said.\n\n"
                            "All targets were destroyed, the ministry said."})
    claim = _one(ds, claimant_text="the ministry")
    assert claim["claimant"] == "Russian Defense Ministry"


def test_back_reference_inherits_the_statement_date(corpus_of):
    ds = corpus_of({"text": "A day earlier, the Russian Defense Ministry said that bombers hit Raqqa.\n\n"
                            "All targets were destroyed, the ministry said."})
    assert _one(ds, claimant_text="the ministry")["statement_date"] == "2017-11-18"


def test_unframed_clause_is_the_outlets_own_narrative(corpus_of):
    ds = corpus_of({"text": "Last month, the Syrian army captured the city of Deir al-Zour."})
    claim = ds.claims.iloc[0]
    assert (claim["claimant"], claim["attribution"], claim["via"]) == ("Xinhua", "unattributed", "Xinhua")
    assert claim["verb"] is None or claim["verb"] != claim["verb"] or str(claim["verb"]) == "<NA>"


def test_unknown_claimant_keeps_its_own_words(corpus_of):
    ds = corpus_of({"text": "The town fell on Monday, a local shepherd said."})
    claim = ds.claims.iloc[0]
    assert (claim["claimant"], claim["claimant_type"], claim["claimant_alignment"]) == ("local shepherd", "unknown", "unknown")


def test_hedged_wording_is_flagged(corpus_of):
    ds = corpus_of({"text": "The army reportedly entered Raqqa, al-Watan said."})
    assert bool(ds.claims.iloc[0]["hedged"]) is True


def test_denial_is_a_claim_against(corpus_of):
    ds = corpus_of({"text": "The Russian Defense Ministry denied that its jets struck a hospital in Idlib."})
    assert _one(ds, claimant="Russian Defense Ministry")["stance"] == "against"


def test_contrast_splits_a_sentence_into_two_claims(corpus_of):
    ds = corpus_of({"text": "On Nov. 9, the Syrian forces declared capturing al-Bukamal from IS, "
                            "but on Nov. 11, the IS launched a counter-offensive clawing back the city."})
    assert ds.claims["attribution"].tolist() == ["direct", "unattributed"]
    assert ds.claims["statement_date"].tolist()[0] == "2017-11-09"


from hypothesis import given, settings, strategies as st

from analysis.errors import DatelineError
from analysis.pipeline import extract_article

WORDS = st.sampled_from(["the", "army", "said", "Sunday", ",", "according to", "al-Watan", "Raqqa", "captured",
                         "the ministry", "adding that", "IS", "percent", "80", "on Nov. 9", ".", "\n\n", "but"])


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join)))
def test_claim_extraction_returns_normally_on_any_text(text):
    article = {"article_id": "h", "text": text, "outlet": "Xinhua", "published": "2017-11-19", "anchor_date": "2017-11-19"}
    try:
        parts = extract_article(article)
    except DatelineError:
        return
    for claim in parts["claims"]:
        assert text[claim["content_start"]:claim["content_end"]] == claim["content"]


def test_told_an_outlet_makes_the_outlet_a_link_in_the_chain(corpus_of):
    ds = corpus_of({"text": "Islamic State still holds 60 percent of the town, Rami Abdel Rahman told AFP on Monday.",
                    "outlet": "Gulf Daily", "published": "2017-11-14"})
    claim = ds.claims.iloc[0]
    assert (claim["claimant"], claim["via"], claim["verb"], claim["statement_date"]) == (
        "Rami Abdel Rahman", "Gulf Daily < AFP < Rami Abdel Rahman", "told", "2017-11-13")


def test_quoted_as_saying_credits_the_quoted_speaker(corpus_of):
    ds = corpus_of({"text": "SANA quoted a military source as saying that the army had entered the town."})
    claim = ds.claims.iloc[0]
    assert (claim["claimant"], claim["claimant_type"], claim["via"], claim["content"]) == (
        "military source", "unknown", "Xinhua < SANA < military source", "the army had entered the town")


def test_citing_credits_the_cited_source_through_the_reporter(corpus_of):
    ds = corpus_of({"text": "The army has taken full control of Abu Kamal, TASS reported, citing SANA.", "outlet": "Gulf Daily"})
    claim = ds.claims.iloc[0]
    assert (claim["claimant"], claim["via"], claim["content"]) == (
        "SANA", "Gulf Daily < TASS < SANA", "The army has taken full control of Abu Kamal")


def test_a_channel_speaks_for_its_owner(corpus_of):
    ds = corpus_of({"text": "Amaq's Telegram channel said IS fighters destroyed three tanks."})
    assert ds.claims.iloc[0][["claimant", "claimant_text"]].tolist() == ["Amaq", "Amaq's Telegram channel"]


def test_pronoun_resolves_to_the_last_person_named(corpus_of):
    ds = corpus_of({"text": "Konashenkov said the bombers hit all targets. He said no civilians were harmed."})
    assert ds.claims["claimant"].tolist() == ["Igor Konashenkov", "Igor Konashenkov"]


def test_verb_shortcut_finds_what_the_verb_pattern_finds():
    import re
    from pathlib import Path

    from analysis.claims import _verb_matches, rules
    from analysis.wordtrie import whole_words
    verb_pattern = re.compile(whole_words(rules().verbs), re.I)
    texts = ["Officials SAID, unsaid; resaid said_x said2 _said xsaid Told tells.", "SaidSaid said", "said",
             "The army said it told reporters, adding that it 'Denied' claims.", "3said x-said o'said Reported"]
    texts += [line for path in sorted((Path(__file__).parents[1] / "data" / "corpus").glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines() if line.isascii()]
    for text in texts:
        fast = [(m.start(1), m.end(1), m.group(1)) for m in _verb_matches(text, text.lower())]
        full = [(m.start(), m.end(), m.group().lower()) for m in verb_pattern.finditer(text)]
        assert fast == full, text


def test_hedge_shortcut_agrees_with_the_hedge_pattern():
    from analysis.claims import _hedged, rules
    texts = ["It reportedly fell.", "Unreportedly so", "REPORTEDLY", "reportedly_x", "xit is claimed, it is claimed",
             "The claim could not be independently verified.", "Acould not be verified", "nothing here", ""]
    for text in texts:
        assert _hedged(text) == bool(rules().hedge_pattern.search(text)), text


_FRAME_PIECES = ["in a statement", "on its Telegram channel", " at a news conference", "read out on state TV",
                 "on Amaq's website", " via the official posting", "broadcast by the agency", "on Sunday", " ", ".",
                 "In A Statement", "carried on the", "said", "through their own video"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAME_PIECES), max_size=5).map(" ".join))
def test_one_frame_words_match_ends_where_the_three_frame_patterns_do(text):
    from analysis.claims import CARRIED_ON, MEDIUM, rules
    one = rules().frame_words.match(text)
    first = rules().frame_pattern.match(text) or MEDIUM.match(text) or CARRIED_ON.match(text)
    assert (one and one.end()) == (first and first.end())
    after_verb = rules().frame_words.match("X said" + text, len("X said"))  # as _skip_frame asks
    assert (after_verb and after_verb.end() - len("X said")) == (first and first.end())
