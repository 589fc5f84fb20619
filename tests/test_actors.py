"""Tests of the actor and outlet dictionaries and of analysis.actors' matcher."""
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import actors, config
from analysis.actors import (
    ALIGNMENTS, CLAIMANT_TYPES, actor_table, find_actor, find_actors, load_actors, resolve_reference,
)
from analysis.errors import InputError

SEED = config.DEFAULT_CORPUS / "xinhua-2017-11-19-al-bukamal.txt"
GOLD = Path(__file__).parent / "seed_gold.json"
PROVENANCE = config.DATA_DIR / "actors.provenance.yaml"


def entry(**overrides):
    """Return a valid dictionary entry, with `overrides` applied."""
    base = {
        "name": "Test Army", "aliases": ["test troops"], "type": "military", "alignment": "unknown",
        "party_to_conflict": True, "inter": 1, "acled_actor": None, "refs": ["army"],
        "origin": "Test Army", "country": None, "source": "test",
    }
    return {**base, **overrides}


def write_dictionary(path, entries, kind="actor"):
    """Return `path` after writing a dictionary file of `kind` holding `entries`."""
    path.write_text(yaml.safe_dump({"kind": kind, "entries": entries}), encoding="utf-8")
    return path


def names(text):
    """Return the canonical names of the actors mentioned in `text`, in order."""
    return [m["actor"].name for m in find_actors(text)]


def test_every_entry_has_an_allowed_type_and_alignment():
    actors = load_actors().values()
    assert len(actors) >= 100
    assert {a.type for a in actors} <= set(CLAIMANT_TYPES)
    assert {a.alignment for a in actors} <= set(ALIGNMENTS)


def test_outlets_are_media_and_other_actors_are_not():
    kinds = {(a.kind, a.type == "media") for a in load_actors().values()}
    assert kinds == {("outlet", True), ("actor", False)}


def test_bad_type_is_an_input_error_naming_file_and_entry(tmp_path):
    path = write_dictionary(tmp_path / "actors.yaml", [entry(), entry(name="Bad", aliases=[], type="army")])
    with pytest.raises(InputError, match=r"actors\.yaml: entry 2 \('Bad'\): type 'army'"):
        load_actors([path])


def test_alias_naming_two_actors_is_an_input_error(tmp_path):
    path = write_dictionary(tmp_path / "actors.yaml", [entry(), entry(name="Other Army", aliases=["Test Troops"])])
    with pytest.raises(InputError, match=r"entry 2 \('Other Army'\): alias 'Test Troops' already names 'Test Army'"):
        load_actors([path])


def test_seed_voices_carry_the_gold_facts():
    table = actor_table().set_index("name")
    wanted = ["al-Watan", "Syrian forces", "Russian Defense Ministry", "Xinhua", "Islamic State",
              "Syrian Democratic Forces", "Iraqi forces"]
    columns = ["type", "alignment", "party_to_conflict", "inter", "acled_actor"]
    expected = pd.DataFrame(
        [
            ["media", "Syrian government", False, pd.NA, pd.NA],
            ["military", "Syrian government", True, 1, "Military Forces of Syria"],
            ["government", "Russia", True, 8, "Military Forces of Russia"],
            ["media", "China", False, pd.NA, pd.NA],
            ["armed_group", "Islamic State", True, 2, "Islamic State"],
            ["armed_group", "SDF", True, 2, "Syrian Democratic Forces"],
            ["military", "Iraqi government", True, 1, "Military Forces of Iraq"],
        ],
        index=pd.Index(wanted, name="name", dtype="string"), columns=columns,
    ).astype({"type": "string", "alignment": "string", "party_to_conflict": "boolean",
              "inter": "Int64", "acled_actor": "string"})
    pd.testing.assert_frame_equal(table.loc[wanted, columns], expected)


def test_outlets_relaying_one_state_share_an_origin():
    actors = load_actors()
    assert actors["SANA"].origin == actors["Al-Ikhbariya"].origin == "Syrian state media"
    assert actors["Igor Konashenkov"].origin == "Russian Defense Ministry"
    assert actors["Xinhua"].origin == "Xinhua"


def test_alias_lookup_folds_spelling_variants():
    variants = ["Russian Defense Ministry", "Russian Defence Ministry", "Russia's Defence Ministry",
                "Russia\u2019s Defense Ministry", "Moscow's defence ministry", "the Russian military"]
    assert {find_actor(v).name for v in variants} == {"Russian Defense Ministry"}


def test_every_alias_finds_its_own_actor():
    table = actor_table()
    pairs = [(alias, name) for name, aliases in zip(table["name"], table["aliases"]) for alias in aliases.split("; ")]
    found = [[(m["text"], m["actor"].name) for m in find_actors(f"x {alias} y")] for alias, _ in pairs]
    assert found == [[pair] for pair in pairs]


def test_capitalised_IS_is_the_group_but_the_verb_is_is_not():
    assert names("Is it true that IS is losing? This is IS-held land.") == ["Islamic State", "Islamic State"]


def test_AP_is_not_found_inside_APC():
    assert names("An APC was hit, AP reported.") == ["AP"]


def test_acronym_that_is_a_word_is_ignored_in_an_all_caps_headline():
    assert names("DOCTOR IS RELEASED\nThe IS group said.") == ["Islamic State"]


def test_longest_alias_wins():
    mentions = find_actors("the Russian Defense Ministry and the Islamic State group said")
    assert [(m["text"], m["actor"].name) for m in mentions] == [
        ("Russian Defense Ministry", "Russian Defense Ministry"), ("Islamic State group", "Islamic State")]


def test_mentions_are_case_insensitive_for_words():
    assert names("the syrian ARMY and the hezbollah") == ["Syrian forces", "Hezbollah"]


def test_epithet_wrapped_mention_resolves():
    assert find_actor("the pro-government al-Watan newspaper").name == "al-Watan"
    assert find_actor("Syria's state-run SANA news agency").name == "SANA"


def test_name_of_no_actor_is_none():
    assert find_actor("the villagers") is None


def test_paper_and_newspaper_refer_back_to_al_watan():
    actors = load_actors()
    previous = [actors["Syrian forces"], actors["al-Watan"], actors["Islamic State"]]
    assert resolve_reference("The paper", previous).name == "al-Watan"
    assert resolve_reference("the newspaper", previous).name == "al-Watan"


def test_ministry_refers_back_to_the_last_ministry_named():
    actors = load_actors()
    previous = [actors["Syrian Defense Ministry"], actors["al-Watan"], actors["Russian Defense Ministry"],
                actors["Islamic State"]]
    assert resolve_reference("the ministry", previous).name == "Russian Defense Ministry"


def test_reference_without_antecedent_is_none():
    actors = load_actors()
    assert resolve_reference("the ministry", [actors["al-Watan"], actors["Islamic State"]]) is None


def test_offsets_index_the_text():
    text = SEED.read_text(encoding="utf-8")
    mentions = find_actors(text)
    assert mentions and all(text[m["start"]:m["end"]] == m["text"] for m in mentions)
    assert [m["start"] for m in mentions] == sorted(m["start"] for m in mentions)


def test_seed_names_the_gold_claimants():
    gold_claimants = {c["claimant"] for c in json.loads(GOLD.read_text(encoding="utf-8"))["claims"]}
    found = set(names(SEED.read_text(encoding="utf-8")))
    assert gold_claimants == {"al-Watan", "Syrian forces", "Russian Defense Ministry", "Xinhua"}
    assert found == gold_claimants | {"Islamic State", "Syrian Democratic Forces", "Iraqi forces"}


def test_provenance_checksums_match_the_dictionaries():
    files = yaml.safe_load(PROVENANCE.read_text(encoding="utf-8"))["files"]
    for record in files:
        digest = hashlib.sha256((config.ROOT / record["path"]).read_bytes()).hexdigest()
        assert record["sha256"] == digest, f"update {record['path']} sha256 in {PROVENANCE.name} to {digest}"


# Pieces of aliases in any case, with the characters lowering could confuse: the Kelvin sign,
# dotted/dotless i, long s, accented capitals, dashes, apostrophes and spaces.
ALIAS_PARTS = st.sampled_from(
    ["IS", "is", "Is", "ISIS", "isis", "SDF", "sdf", "AP", "ap", "Daesh", "DAESH", "dAESH", "Syrian", "army",
     "ARMY", "al-", "Al-", "Watan", "TASS", "Tass", "\u212a", "ı", "İ", "ſ", "É", "é", "-", "–", "'", "’",
     " ", "  ", "\n", ".", "(", ")", "_", "x", "7"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(ALIAS_PARTS, max_size=16).map("".join))
@example("ISIS and IS, isis and is, Daesh and DAESH")
@example("the \u212aurdish SDF and İS")
@example("a lone surrogate \ud800 before ISIS")
def test_alias_matches_are_the_trie_regex_matches(text):
    d = actors._dictionary(actors._paths_key(None))
    assert [m.span() for m in actors._alias_matches(d, text)] == [m.span() for m in d.pattern.finditer(text)]
