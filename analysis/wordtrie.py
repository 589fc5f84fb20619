"""A word list folded into one regular expression shaped like a character trie.

Python's `re` tries the branches of an alternation one by one at every position; a trie shares
the prefixes, so at most positions one character test fails it.  Used for the actor and outlet
names (`analysis.actors`), the rule word lists and the temporal tagger's words.
"""
from __future__ import annotations

import re
from typing import Iterable


def trie_source(words: Iterable[list[str]]) -> str:
    """Return a regex source matching any of `words`, each given as a list of regex fragments (one
    per character), longest first where one word is a prefix of another.

    >>> import re
    >>> re.findall(trie_source([["I", "S"], ["I", "S", "I", "S"]]), "ISIS and IS")
    ['ISIS', 'IS']
    """
    trie: dict = {}
    for units in words:
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}

    def depth(node: dict) -> int:
        return max((1 + depth(child) for unit, child in node.items() if unit), default=0)

    def source(node: dict) -> str:
        # Deeper branches first, so the longest word wins where two could match.
        branches = sorted((u for u in node if u), key=lambda u: -depth(node[u]))
        alternatives = [u + source(node[u]) for u in branches]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return source(trie)


def alternation(words: Iterable[str], space: str | None = None) -> str:
    """Return a regex source matching any of `words` literally (case as the caller's flags say),
    longest first: the trie form of "|".join(sorted(map(re.escape, words), key=len, reverse=True)).
    With `space`, a space inside a word matches that regex instead ("more than" with r"\\s+").

    >>> import re
    >>> re.findall(r"\\b" + alternation(["said", "said in", "say"]) + r"\\b", "they said in it")
    ['said in']
    """
    return "(?:" + trie_source([space if space and ch == " " else re.escape(ch) for ch in word] for word in words) + ")"


def whole_words(words: Iterable[str], space: str | None = None) -> str:
    """Return a regex source matching any of `words` where no word character touches it on either side.

    For words that begin and end with a word character (all of the project's lists) this is
    r"\\b" + alternation(words) + r"\\b", but searched up to twice as fast: `re` skips the
    positions a leading look-behind rules out faster than it tests a leading \\b.

    >>> import re
    >>> re.findall(whole_words(["said", "say"]), "they said, saying")
    ['said']
    """
    return r"(?<!\w)" + alternation(words, space) + r"(?!\w)"


def lowered_whole_words(words: Iterable[str]) -> str:
    """Return a regex source that matches, case-sensitive, in an ASCII text lowered where whole_words(words)
    with re.I matches in the text itself (for lowercase ASCII words), at the same offsets.

    On ASCII text re.I folds exactly as str.lower() does, and in lowered ASCII text \\w is [a-z0-9_],
    which `re` tests faster: a scan of the lowered text finds the same spans ~1.2x faster.

    >>> import re
    >>> re.findall(lowered_whole_words(["said", "told"]), "Officials SAID, unsaid said2 _said Told.".lower())
    ['said', 'told']
    """
    return r"(?<![a-z0-9_])" + alternation(words) + r"(?![a-z0-9_])"


def whole_word_matches(text: str, pattern: re.Pattern, lowered: re.Pattern | None,
                       plain: str | None = None) -> list[re.Match]:
    """Return the matches of `pattern` (whole_words with re.I) in `text`; on ASCII text, those of `lowered`
    (lowered_whole_words of the same words, or None) in the lowered text: the same spans, found faster,
    their group() in lower case. `plain` is text.lower() when the caller has it already.

    >>> import re
    >>> words = ["said", "told"]
    >>> [m.group() for m in whole_word_matches("He SAID so", re.compile(whole_words(words), re.I),
    ...                                        re.compile(lowered_whole_words(words)))]
    ['said']
    """
    if lowered is None or not text.isascii():
        return list(pattern.finditer(text))
    return list(lowered.finditer(plain if plain is not None else text.lower()))


def glued(text: str, at: int) -> bool:
    """Whether a word character (as re's \\w) stands right before offset `at`: a whole word cannot start there.

    >>> glued("unsaid said", 2), glued("unsaid said", 7)
    (True, False)
    """
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
