import json
from pathlib import Path

import pytest

import analysis
from analysis import config, narrative
from analysis.errors import UsageError

GOLD = json.loads((Path(__file__).parent / "seed_gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return analysis.extract(analysis.load_corpus(config.DEFAULT_CORPUS))


def test_most_reported_place_is_the_focus(seed):
    assert narrative.focus_place(seed, "") == "Abu Kamal"


def test_a_variant_spelling_finds_the_place(seed):
    assert narrative.focus_place(seed, "al-Bukamal") == "Abu Kamal"


def test_unknown_place_lists_the_places_found(seed):
    with pytest.raises(UsageError, match="Abu Kamal, Deir ez-Zor, Raqqa"):
        narrative.focus_place(seed, "Aleppo")


def test_key_judgements_say_the_share_rests_on_one_pro_government_source(seed):
    text = narrative.key_judgements(seed, "Abu Kamal")
    assert "80%" in text and "a single pro-government source (al-Watan, relayed by Xinhua)" in text


def test_key_judgements_say_the_declared_capture_was_reversed(seed):
    text = narrative.key_judgements(seed, "Abu Kamal")
    assert "declared capture of Abu Kamal by Syrian forces on 9 Nov 2017" in text and "reversed on 11 Nov 2017" in text


def test_key_judgements_flag_the_ministrys_self_report(seed):
    text = narrative.key_judgements(seed, "Abu Kamal")
    assert "Russian Defense Ministry's claim" in text and "all of the designated targets were hit" in text
    assert "self-reported by a party to the conflict" in text


def test_every_key_judgement_cites_a_source(seed):
    bullets = narrative.key_judgements(seed, "Abu Kamal").splitlines()
    assert 3 <= len(bullets) <= 6
    assert all("[" in b or "section 5" in b for b in bullets)


def test_corroboration_ranks_the_contested_claim_first(seed):
    table = narrative.corroboration_table(seed)
    assert table.iloc[0]["Claimant"] == "Syrian forces" and "contradicted" in table.iloc[0]["Why check"]
    ministry = table[table["Claim"].str.contains("all of the designated targets")]
    assert "self-reported by a party to the conflict" in ministry.iloc[0]["Why check"]


def test_markdown_from_input_is_escaped():
    assert narrative.q("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert narrative.q("[link](javascript:alert(1))") == "\\[link\\](javascript:alert(1))"


def test_empty_corpus_says_so(corpus_of):
    ds = corpus_of({"text": "Nothing happened."})
    assert narrative.key_judgements(ds, "") == (
        "No events were extracted from this corpus (0 claim(s) in 1 article(s)), so there is nothing to judge.")
    assert narrative.control_text(ds, "").startswith("No claim")


def test_undated_events_are_shown_as_on_or_before_their_end(corpus_of):
    ds = corpus_of({"text": "Albu Kamal is close to areas which have recently been stormed by the Syrian army, al-Watan said."})
    table = narrative.events_table(ds)
    assert table["Date"].tolist() == ["on or before 19 Nov 2017"]
