import re

from hypothesis import given, strategies as st

from analysis.wordtrie import alternation, whole_words

WORDS = ["said", "said in", "say", "air strike", "Su-24", "al-Watan", "ça"]


# the words, and what may touch them: letters, digits, underscores, spaces, punctuation
@given(st.lists(st.sampled_from(WORDS + list("xs4_ ,.-\nç")), max_size=20))
def test_whole_words_match_where_word_boundaries_around_the_alternation_do(pieces):
    text = "".join(pieces)
    bounded = re.compile(r"\b" + alternation(WORDS) + r"\b", re.I)
    assert [m.span() for m in re.finditer(whole_words(WORDS), text, re.I)] == [m.span() for m in bounded.finditer(text)]


def test_whole_words_never_match_inside_a_word():
    assert re.findall(whole_words(["said", "Su-24"]), "unsaid said_ Su-24M Su-24 said") == ["Su-24", "said"]
