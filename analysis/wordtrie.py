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

    def source(node: dict) -> tuple[str, int]:
        """Return the node's regex source and its depth (the longest word below it, in units)."""
        branches = [(u, *source(child)) for u, child in node.items() if u]
        if not branches:
            return "", 0
        # Deeper branches first, so the longest word wins where two could match.
        branches.sort(key=lambda branch: -branch[2])
        alternatives = [u + below for u, below, _ in branches]
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return (f"(?:{body})?" if "" in node else body), 1 + branches[0][2]

    return source(trie)[0]


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


class EdgeLed:
    """The matches of a regex source (its one group) that no character of a class touches, found in a
    lowered text: the scan (`inner`) takes the character before a match, outside the class, so
    re skips to it in C instead of trying a look-behind at every position; a match at the very start
    of the text has no character before it and is tried apart (`opening`).

    >>> [m.group(1) for m in EdgeLed("said|told", "a-z").matches("said so, unsaid 2told")]
    ['said', 'told']
    """

    def __init__(self, source: str, word_chars: str):
        after = "(?![" + word_chars + "])"
        self.opening = re.compile("(" + source + ")" + after)
        self.inner = re.compile("[^" + word_chars + "](" + source + ")" + after)

    def matches(self, lowered: str) -> list[re.Match]:
        """The matches in `lowered`, in text order."""
        first = self.opening.match(lowered)
        if first is None:
            return list(self.inner.finditer(lowered))
        return [first, *self.inner.finditer(lowered, first.end())]


class WholeWords:
    """Finds the whole-word occurrences of a word list, as whole_words(words) with re.I does; group 1 of
    each match is the word (found in a lowered text on ASCII text, so then in lower case).

    On ASCII text re.I folds exactly as str.lower() does, and in lowered ASCII text \\w is [a-z0-9_]: there
    the words are found by an EdgeLed scan, ~1.4x faster than the look-behind tried at every position.
    This holds for lowercase ASCII words that begin and end with a word character (all of the project's
    lists); for others, `pattern` decides.

    >>> [m.group(1) for m in WholeWords(["said", "told"]).matches("Said so, unsaid said2 _said Told.")]
    ['said', 'told']
    """

    def __init__(self, words: Iterable[str]):
        words = list(words)
        source = alternation(words)
        self.pattern = re.compile(r"(?<!\w)(" + source + r")(?!\w)", re.I)
        lowered = all(w.isascii() and w == w.lower() and re.fullmatch(r"\w(?:.*\w)?", w) for w in words)
        self.edge_led = EdgeLed(source, "a-z0-9_") if lowered else None

    def matches(self, text: str, plain: str | None = None) -> list[re.Match]:
        """The matches in `text`, in text order; `plain` is text.lower() when the caller has it already."""
        if self.edge_led is None or not text.isascii():
            return list(self.pattern.finditer(text))
        return self.edge_led.matches(text.lower() if plain is None else plain)


def glued(text: str, at: int) -> bool:
    """Whether a word character (as re's \\w) stands right before offset `at`: a whole word cannot start there.

    >>> glued("unsaid said", 2), glued("unsaid said", 7)
    (True, False)
    """
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
