"""Sentence splitting: paragraphs on blank lines first, then spaCy's rule-based sentencizer (its rule read
over spaCy's tokens only where a sentence can end)."""
from __future__ import annotations

import re
from functools import lru_cache


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
DANGLING_QUOTE = re.compile(r"(?<=[.!?])\s+(?P<quote>[\"“‘'])$")
_QUOTE_MARKS = "\"“‘'"  # DANGLING_QUOTE's last character (a sentence is stripped: no newline before $)
# A dump with no blank lines is cut into pieces this long (spaCy refuses a text over nlp.max_length).
MAX_PARAGRAPH = 20_000


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=2)
def _final(ascii_only: bool) -> re.Pattern:
    """The sentencizer's sentence-final characters ("." "!" "?" and their kin in other scripts) as a regex;
    only the ASCII ones for an ASCII text (the whole set makes a search ~20 times slower)."""
    chars = sorted(c for c in _nlp().get_pipe("sentencizer").punct_chars if c.isascii() or not ascii_only)
    return re.compile("[" + re.escape("".join(chars)) + "]")


# spaCy's ASCII sentence-final characters are "." "!" "?"; a search for one character runs twice as fast as
# one for a set, and most paragraphs hold neither "!" nor "?".
_FULL_STOP = re.compile(r"\.")


def _final_in(paragraph: str) -> re.Pattern:
    """Return the regex of the sentence-final characters `paragraph` may hold: "." alone when it is ASCII without "!" or "?"."""
    if not paragraph.isascii():
        return _final(False)
    if "!" in paragraph or "?" in paragraph:
        return _final(True)
    return _FULL_STOP


# a whitespace-free chunk and the whitespace after it
_PIECE = re.compile(r"\S+\s*")


@lru_cache(maxsize=100_000)
def _tokens(piece: str) -> tuple[tuple[int, bool, bool], ...]:
    """Return (offset, sentence-final, punctuation) of each spaCy token of a whitespace-free chunk and of
    the whitespace after it (tokenized between two letters, as it stands in a text): "fell.  " -> the
    tokens "fell", "." and " " (one space is no token)."""
    chunk = piece.rstrip()
    space = tuple((len(chunk) + offset, *kinds) for offset, *kinds in _space_tokens(piece[len(chunk):]))
    return _chunk_tokens(chunk) + space


# A chunk comes back with other whitespace after it ("said. ", "said.\n"): tokenized once.
@lru_cache(maxsize=100_000)
def _chunk_tokens(chunk: str) -> tuple[tuple[int, bool, bool], ...]:
    """Return _tokens' triples of a whitespace-free chunk: "fell." -> ((0, False, False), (4, True, True))."""
    final = _nlp().get_pipe("sentencizer").punct_chars
    return tuple((t.idx, t.text in final, t.is_punct) for t in _nlp().tokenizer(chunk))


@lru_cache(maxsize=1_000)
def _space_tokens(space: str) -> tuple[tuple[int, bool, bool], ...]:
    """Return _tokens' triples of the whitespace between two chunks: "" -> (), " " -> () (one space is no token)."""
    final = _nlp().get_pipe("sentencizer").punct_chars
    return tuple((t.idx - 1, t.text in final, t.is_punct) for t in _nlp().tokenizer("a" + space + "a")[1:-1])


def sentence_starts(paragraph: str) -> list[int]:
    """Return the offsets in `paragraph` (stripped, non-empty) where spaCy's sentencizer starts a sentence.

    The sentencizer starts one at the first token after a sentence-final token ("." "!" "?")
    that is neither punctuation nor sentence-final itself. spaCy's tokenizer reads each
    whitespace-separated chunk on its own, so only the chunks from one holding a
    sentence-final character to the token that decides need tokenizing, not the paragraph,
    and a chunk seen before ("said.") need not be tokenized again. tests/test_sentences.py
    holds this to running the sentencizer.

    >>> sentence_starts("IS retook it. The army withdrew after Nov. 9.")
    [0, 14]
    """
    final = _final_in(paragraph)
    starts = [0]
    at = 0
    while (hit := final.search(paragraph, at)) is not None:
        lo = hit.start()
        while lo and not paragraph[lo - 1].isspace():
            lo -= 1
        seen_final = False
        # from the hit's chunk on, chunk and whitespace after chunk and whitespace, until a token decides
        while True:
            piece = _PIECE.match(paragraph, lo)
            at = piece.end()
            for offset, is_final, is_punct in _tokens(piece.group()):
                if seen_final and not is_punct and not is_final:
                    starts.append(lo + offset)
                    seen_final = False
                elif is_final:
                    seen_final = True
            if not seen_final or at == len(paragraph):
                break
            lo = at
            if paragraph[lo].isalnum():
                # a chunk that opens with a letter or digit opens with a token that is neither punctuation
                # nor sentence-final: a start; the search goes on from the chunk for any ends inside it
                starts.append(lo)
                break
    return starts


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the blank-line separated paragraphs of `text`.

    >>> paragraphs("One.\\n\\nTwo.")
    [(0, 4), (6, 10)]
    """
    spans, start = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    if len(text) > MAX_PARAGRAPH:  # else no paragraph is over-long
        spans = [piece for s, e in spans for piece in _pieces(text, s, e)]
    stripped = []
    for s, e in spans:
        chunk = text[s:e].lstrip()
        if chunk:
            stripped.append((e - len(chunk), e - (len(chunk) - len(chunk.rstrip()))))
    return stripped


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long paragraph at line breaks, else at the last space before the limit."""
    pieces = []
    while end - start > MAX_PARAGRAPH:
        cut = text.rfind("\n", start, start + MAX_PARAGRAPH)
        if cut <= start:
            cut = text.rfind(" ", start, start + MAX_PARAGRAPH)
        if cut <= start:
            cut = start + MAX_PARAGRAPH
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(article_id: str, text: str) -> list[dict]:
    """Return the sentences of one article body with offsets into `text`.

    >>> [s["text"] for s in split_sentences("a", "On Nov. 9 it fell. It was retaken.")]
    ['On Nov. 9 it fell.', 'It was retaken.']
    """
    spans = paragraphs(text)
    rows: list[dict] = []
    for paragraph_id, (p_start, p_end) in enumerate(spans):
        paragraph = text[p_start:p_end]
        starts = sentence_starts(paragraph)
        for start_char, end_char in zip(starts, starts[1:] + [len(paragraph)]):
            raw = paragraph[start_char:end_char]
            chunk = raw.strip()
            if not chunk:
                continue
            start = p_start + start_char + len(raw) - len(raw.lstrip())
            # the last-character test first: DANGLING_QUOTE's search reads the whole sentence
            if (rows and rows[-1]["text"][-1] in _QUOTE_MARKS and rows[-1]["paragraph_id"] == paragraph_id
                    and DANGLING_QUOTE.search(rows[-1]["text"])):
                # 'town. "All targets were hit," he said.': the quote mark opens this sentence, not the last
                last = rows[-1]
                mark = DANGLING_QUOTE.search(last["text"])
                start = last["start"] + mark.start("quote")
                chunk = text[start: p_start + start_char + len(raw.rstrip())]
                last["text"] = last["text"][: mark.start()].rstrip()
                last["end"] = last["start"] + len(last["text"])
            rows.append({"article_id": article_id, "sentence_id": len(rows), "paragraph_id": paragraph_id,
                         "start": start, "end": start + len(chunk), "text": chunk})
    return rows
