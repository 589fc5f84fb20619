import re

from hypothesis import given, strategies as st

from analysis.wordtrie import WholeWords, alternation, whole_words

WORDS = ["said", "said in", "say", "air strike", "Su-24", "al-Watan", "ça"]


# the words, and what may touch them: letters, digits, underscores, spaces, punctuation
@given(st.lists(st.sampled_from(WORDS + list("xs4_ ,.-\nç")), max_size=20))
def test_whole_words_match_where_word_boundaries_around_the_alternation_do(pieces):
    text = "".join(pieces)
    bounded = re.compile(r"\b" + alternation(WORDS) + r"\b", re.I)
    assert [m.span() for m in re.finditer(whole_words(WORDS), text, re.I)] == [m.span() for m in bounded.finditer(text)]


def test_whole_words_never_match_inside_a_word():
    assert re.findall(whole_words(["said", "Su-24"]), "unsaid said_ Su-24M Su-24 said") == ["Su-24", "said"]


LOWER_WORDS = ["said", "said in", "say", "air strike", "su-24", "were hit", "hit"]


# ASCII only: the words in any case, and what may touch them
@given(st.lists(st.sampled_from(LOWER_WORDS + ["SAID", "Were Hit", "Su-24"] + list("xS4_ ,.-\n")), max_size=20))
def test_whole_words_finder_on_lowered_text_matches_where_whole_words_match_the_text(pieces):
    text = "".join(pieces)
    assert WholeWords(LOWER_WORDS).edge_led is not None  # the lowered-text scan is the one tested
    assert [m.span(1) for m in WholeWords(LOWER_WORDS).matches(text)] == \
        [m.span() for m in re.finditer(whole_words(LOWER_WORDS), text, re.I)]


@given(st.lists(st.sampled_from(WORDS + list("xs4_ ,.-\nç")), max_size=20))
def test_whole_words_finder_matches_where_whole_words_match(pieces):
    text = "".join(pieces)
    assert [m.span(1) for m in WholeWords(WORDS).matches(text)] == \
        [m.span() for m in re.finditer(whole_words(WORDS), text, re.I)]
