import re

from hypothesis import given, strategies as st

from analysis.wordtrie import alternation, lowered_whole_words, whole_words

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
def test_lowered_whole_words_match_the_lowered_text_where_whole_words_match_the_text(pieces):
    text = "".join(pieces)
    lowered = re.compile(lowered_whole_words(LOWER_WORDS))
    assert [m.span() for m in lowered.finditer(text.lower())] == \
        [m.span() for m in re.finditer(whole_words(LOWER_WORDS), text, re.I)]
