"""Tests for analysis.places: gazetteer look-up, transliteration folding, place mentions."""
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import places
from analysis.places import Place, find_places, fold, resolve_place

GOLD = Path(__file__).resolve().parent / "seed_gold.json"
SEED = places.config.DEFAULT_CORPUS / "xinhua-2017-11-19-al-bukamal.txt"
# Words that exercise the matcher: names, articles, cue words, joiners.
NAME_PARTS = st.sampled_from(
    ["al-", "Al-", "Deir", "ez-", "Zor", "Bukamal", "Hmeimim", "Air", "Base", "province", "Syrian",
     "DAMASCUS", "Raqqa's", "'", "ʿ", "-", " ", "  ", ",", ".", "\n", "Ḩamāh", "İ", "ß", "Abu"]
)


@pytest.mark.parametrize(
    "variants",
    [
        ["al-Bukamal", "Albu Kamal", "Abu Kamal", "Abu Kemal", "Bukamal"],
        ["Deir al-Zour", "Deir ez-Zor", "Deir al-Zor", "Dayr az Zawr"],
        ["Raqqa", "Ar Raqqah", "Rakka", "ar-Raqqa"],
        ["Latakia", "Lattakia", "Al Ladhiqiyah"],
        ["Hmeimim", "Khmeimim"],
    ],
)
def test_transliteration_variants_fold_to_one_place(variants):
    resolved = {resolve_place(v) for v in variants}
    assert len(resolved) == 1 and None not in resolved


def test_fold_drops_articles_diacritics_and_doubled_letters():
    assert fold("Deir al-Zour") == fold("Dayr az Zawr") == fold("Deir ez-Zor")
    assert fold("Ālbū Kamāl") == fold("al-Bukamal")
    assert fold("Lattakia") == fold("Latakia")


def test_fold_keeps_big_cities_apart():
    keys = [fold(n) for n in ["Damascus", "Aleppo", "Homs", "Hama", "Idlib", "Raqqa", "Mosul", "Baghdad"]]
    assert len(set(keys)) == len(keys)


def test_al_qaim_resolves_to_the_iraqi_border_town():
    place = resolve_place("al-Qaim")
    assert (place.name, place.country_code, place.admin1) == ("Al Qaim", "IQ", "Al Anbar")


def test_damascus_resolves_to_syria_not_oregon():
    assert resolve_place("Damascus").country == "Syria"
    assert resolve_place("DAMASCUS").country == "Syria"


def test_a_country_named_in_the_text_decides_between_namesakes():
    assert resolve_place("Tripoli", context=["Libya"]).country_code == "LY"
    assert resolve_place("Tripoli", context=["Lebanon"]).country_code == "LB"


def test_hmeimim_air_base_comes_from_the_supplement():
    assert resolve_place("Hmeimim Air Base") == Place(
        name="Hmeimim Air Base", kind="site", country="Syria", country_code="SY",
        admin1="Lattakia", latitude=35.401, longitude=35.949, geonameid=None, geo_precision=1,
    )


def test_province_names_the_admin1_and_bare_name_the_city():
    assert resolve_place("Deir al-Zour province").kind == "admin1"
    assert resolve_place("Deir al-Zour").kind == "city"
    assert resolve_place("Idlib province").name == "Idleb"


def test_admin1_mention_in_text_includes_the_cue_word():
    text = "the city of al-Bukamal in Deir al-Zour province. This month the army captured the capital city of Deir al-Zour."
    found = [(m["text"], m["place"].kind) for m in find_places(text)]
    assert found == [("al-Bukamal", "city"), ("Deir al-Zour province", "admin1"), ("Deir al-Zour", "city")]


def test_city_has_acled_style_admin1():
    assert resolve_place("Raqqa").admin1 == "Raqqa"
    assert resolve_place("Latakia").admin1 == "Lattakia"


def test_countries_resolve_but_demonyms_are_not_places():
    assert resolve_place("Syria").kind == "country"
    assert resolve_place("Syrian") is None
    assert [m["text"] for m in find_places("The Syrian army and Iraqi troops met.")] == []


def test_no_places_in_a_sentence_of_ordinary_english_words():
    text = "Most of the Police Mobile units were Special, and Officer Liberty said Monday that Peace was Central."
    assert find_places(text) == []


def test_person_name_is_not_a_place():
    assert [m["text"] for m in find_places("President Bashar al-Assad visited Hmeimim.")] == ["Hmeimim"]


def test_longest_match_wins():
    assert [m["text"] for m in find_places("bombers from the Hmeimim Air Base")] == ["Hmeimim Air Base"]


def test_offsets_index_the_text():
    text = "DAMASCUS, Nov. 19 (Xinhua) -- Troops entered al-Bukamal and Raqqa's old city."
    found = find_places(text)
    assert [m["text"] for m in found] == ["DAMASCUS", "al-Bukamal", "Raqqa"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in found)


def test_seed_places_resolve_with_gold_coordinates():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["places"]
    found = {m["text"]: m["place"] for m in find_places(SEED.read_text(encoding="utf-8"))}
    for expected in gold:
        place = found[expected["text"]]
        assert (place.name, place.country) == (expected["name"], expected["country"])
        assert abs(place.latitude - expected["latitude"]) < 0.05
        assert abs(place.longitude - expected["longitude"]) < 0.05


@settings(max_examples=300, deadline=None)
@given(st.text() | st.lists(NAME_PARTS).map("".join))
def test_find_places_on_any_text_returns_a_list(text):
    found = find_places(text)
    assert isinstance(found, list)
    assert all(text[m["start"] : m["end"]] == m["text"] for m in found)


# Pieces where the run _name_at caches on could end differently from the words it holds:
# joiners, apostrophes before s, lower-case site words in any case, Kelvin sign, long s.
RUN_PARTS = st.sampled_from(
    ["al", "Al", "-", " ", "  ", "\t", " - ", "'", "’", "ʿ", "s", "S", "Deir", "ez", "Zor", "Abu", "Kamal",
     "air", "aIR", "base", "city", "Hmeimim", "\u212a", "ſ", "İ", "ǅ", "²", "_", "x", "Raqqa", "Ash", "Sham"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(RUN_PARTS, max_size=16).map("".join))
@example("at Hmeimim aIR base")  # a site word in any case goes on the name
@example("Shayrat airbase's runway")  # a possessive 's ends the site word, which still counts
@example("in Al Ḩasakah")  # a word that starts with a non-ASCII capital
def test_cached_name_at_matches_the_word_by_word_reading(text):
    gaz = places._gazetteer()
    for at in range(len(text)):
        if places._TOKEN.match(text, at):
            assert places._name_at(gaz, text, at) == places._longest_name(gaz, text, at)


@settings(max_examples=300, deadline=None)
@given(st.lists(RUN_PARTS, max_size=16).map("".join))
@example("Troops entered Deir ez-Zor Hmeimim air base")
@example("in Raqqa Province Hassan")
def test_names_in_run_are_what_a_scan_from_each_start_finds(text):
    gaz = places._gazetteer()
    for at in places._name_starts(text):
        run = places._WHOLE_RUN.match(text, at)
        expected, done = [], at
        for start in places._name_starts(text):
            if done <= start < run.end() and (hit := places._name_at(gaz, text, start)) is not None:
                expected.append((start - at, hit[0] - at, hit[1], hit[2]))
                done = hit[0]
        assert list(places._names_in_run(run.group())) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(RUN_PARTS | st.sampled_from(["pro", "ash", "ʿ", "d", "x-", "é", "--"]), max_size=16).map("".join))
@example("Troops entered al-Bukamal, pro-Assad ash-Sham and x-al-Foo")
def test_next_run_holds_the_names_a_scan_from_each_start_finds(text):
    gaz = places._gazetteer()
    capital_run = places._ASCII_CAPITAL_RUN if text.isascii() else places._CAPITAL_RUN
    for pos in range(len(text) + 1):
        found = places._next_run(text, pos, capital_run)
        at, end = found or (len(text), len(text))
        if found:
            assert at in places._name_starts(text) and places._WHOLE_RUN.match(text, at).end() == end
        expected, done = [], pos
        for start in places._name_starts(text):
            if done <= start < end and (hit := places._name_at(gaz, text, start)) is not None:
                expected.append((start - at, hit[0] - at, hit[1], hit[2]))
                done = hit[0]
        assert list(places._names_in_run(text[at:end])) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(RUN_PARTS | st.sampled_from(["Hassan", "x-", "ab-", "Al-"]), max_size=16).map("".join))
@example("in Raqqa al-Assad")
@example("in Raqqa  Hassan")
def test_a_name_that_ends_a_run_is_not_glued_to_the_word_after(text):
    gaz = places._gazetteer()
    for at in places._name_starts(text):
        end = places._WHOLE_RUN.match(text, at).end()
        assert places._is_part_of_longer_name(gaz, text, at, end, False) == places._is_part_of_longer_name(
            gaz, text, at, end
        )


# Pieces around the starts of names: hyphens after lower-case, capital and non-ASCII letters,
# apostrophes, digits, underscores.
START_PARTS = st.sampled_from(
    ["al", "Al", "x", "-", "--", " ", "'", "’", "ʿ", "s", "Deir", "é", "İ", "ß", "ǅ", "_", "7", "\n", "."]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(START_PARTS, max_size=16).map("".join))
@example("Troops entered al-Bukamal and al-Mayadin.")
@example("x-al-Foo, Dar'al-Bu and 'al-Bu")
def test_name_starts_are_where_name_start_matches(text):
    assert places._name_starts(text) == [m.start() for m in places._NAME_START.finditer(text)]


def _rank_by_full_order(gaz, key, loose, mentioned, nearby, kind):
    """_rank as the whole order reads, one score per place: the reference for the cached one."""
    candidates = gaz.index.get(key, [])
    scores = [
        (place.kind == "country", any(p == pid and name == loose for p, name in candidates),
         place.country_code in mentioned, place.country_code in nearby,
         place.country_code in gaz.region_of_interest, -places._KIND_RANK[place.kind],
         gaz.population[pid], -pid, pid)
        for pid, place in ((pid, gaz.places[pid]) for pid in {pid for pid, _ in candidates})
        if kind is None or place.kind == kind
    ]
    return max(scores)[-1] if scores else None


@pytest.fixture(scope="module")
def names_of_several_places():
    gaz = places._gazetteer()
    return sorted(k for k, c in gaz.index.items() if len({pid for pid, _ in c}) > 1)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_rank_follows_the_full_order(data, names_of_several_places):
    gaz = places._gazetteer()
    key = data.draw(st.sampled_from(names_of_several_places))
    codes = sorted({gaz.places[pid].country_code for pid, _ in gaz.index[key]} | {"SY", "US"})
    loose = data.draw(st.sampled_from(sorted({name for _, name in gaz.index[key]}) + ["x"]))
    mentioned = data.draw(st.sets(st.sampled_from(codes)))
    nearby = data.draw(st.sets(st.sampled_from(codes)))
    kind = data.draw(st.sampled_from([None, "admin1", "city", "country", "site"]))
    expected = _rank_by_full_order(gaz, key, loose, mentioned, nearby, kind)
    assert places._rank(key, loose, mentioned, nearby, kind) == expected


# Pieces around "province of": either case, the dotted and dotless i that re.I folds to i.
ADMIN1_PARTS = st.sampled_from(
    ["province", "PROVINCE", "provİnce", "provınce", "governorate", "Governorates", " ", "\n", "\t",
     "of", "OF", "oF", "x", "Raqqa", "é", "province of ", "provİnce of "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ADMIN1_PARTS, max_size=12).map("".join))
@example("the province of Raqqa")
@example("the provİnce of Raqqa, GOVERNORATE  OF\nRaqqa")
def test_after_admin1_of_is_what_admin1_before_finds(text):
    lowered = text.lower() if text.isascii() else None
    for start in range(len(text) + 1):
        found = places._ADMIN1_BEFORE.search(text, max(0, start - 30), start) is not None
        assert places._after_admin1_of(text, start) == found
        assert places._after_admin1_of(text, start, lowered) == found


WORD_BEFORE_PARTS = st.sampled_from(
    ["Hassan", "al", "x", "_", "7", "é", "ß", "²", " ", "  ", "\t", "\n", "'", "-", "(", "Nasrallah" * 5]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD_BEFORE_PARTS, max_size=12).map("".join))
@example("said Hassan Nasrallah")
def test_word_before_is_what_a_search_for_a_word_and_a_space_finds(text):
    word_then_space = places.re.compile(r"(\w+)[ \t]$")
    for start in range(len(text) + 1):
        found = word_then_space.search(text, max(0, start - 40), start)
        assert places._word_before(text, start) == (found.group(1) if found else None)


@pytest.fixture(scope="module")
def saved_gazetteer(tmp_path_factory):
    """A cache folder holding the gazetteer saved by a build there, and that build."""
    folder = tmp_path_factory.mktemp("derived")
    return folder, places._cached_gazetteer(folder)


@pytest.fixture
def cache_folder(saved_gazetteer, tmp_path):
    """A copy of saved_gazetteer's folder, for a test to change."""
    folder, _ = saved_gazetteer
    for saved in folder.iterdir():
        (tmp_path / saved.name).write_bytes(saved.read_bytes())
    return tmp_path


def never_built():
    raise AssertionError("the gazetteer was built again")


def test_gazetteer_cache_reads_back_what_the_build_made(saved_gazetteer, cache_folder, monkeypatch):
    _, built = saved_gazetteer
    monkeypatch.setattr(places, "_built_gazetteer", never_built)
    cached = places._cached_gazetteer(cache_folder)
    assert cached is not built and vars(cached) == vars(built)


def test_gazetteer_cache_is_rebuilt_when_an_input_changes(cache_folder, monkeypatch, tmp_path_factory):
    stopwords = tmp_path_factory.mktemp("data") / "place_stopwords.csv"
    stopwords.write_text(places.PLACE_STOPWORDS.read_text(encoding="utf-8") + "zzyzx,test\n", encoding="utf-8")
    monkeypatch.setattr(places, "PLACE_STOPWORDS", stopwords)
    gaz = places._cached_gazetteer(cache_folder)
    assert "zzyzx" in gaz.stopwords
    # the stale file gave way to the new one, which is read back
    (saved,) = cache_folder.glob("gazetteer-*.pickle")
    assert saved.name == f"gazetteer-{places._gazetteer_key()}.pickle"
    monkeypatch.setattr(places, "_built_gazetteer", never_built)
    assert "zzyzx" in places._cached_gazetteer(cache_folder).stopwords


def test_gazetteer_cache_is_rebuilt_from_a_damaged_file(saved_gazetteer, cache_folder):
    _, built = saved_gazetteer
    (saved,) = cache_folder.glob("gazetteer-*.pickle")
    saved.write_bytes(saved.read_bytes()[:100_000])
    assert vars(places._cached_gazetteer(cache_folder)) == vars(built)
    assert saved.stat().st_size > 100_000


def test_gazetteer_is_built_where_the_cache_cannot_be_written(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    assert places._cached_gazetteer(not_a_folder / "derived").places
    assert list(tmp_path.iterdir()) == [not_a_folder]
