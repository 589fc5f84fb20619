"""Sentence splitting: paragraphs on blank lines first, then spaCy's rule-based sentencizer."""
from __future__ import annotations

import re
from functools import lru_cache


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
DANGLING_QUOTE = re.compile(r"(?<=[.!?])\s+(?P<quote>[\"“‘'])$")
# spaCy refuses texts over nlp.max_length; a dump with no blank lines is cut into pieces this long.
MAX_PARAGRAPH = 20_000


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


# Where the sentencizer could split: a sentence-final character, then (past closing quotes and
# brackets) anything else. Its non-ASCII sentence-final characters are left to it whenever present.
_ASCII_SPLIT = re.compile(r"[.!?][.!?\"')\]”’»]*[^.!?\"')\]”’»]")


@lru_cache(maxsize=1)
def _other_final():
    return re.compile("[" + re.escape("".join(c for c in _nlp().get_pipe("sentencizer").punct_chars
                                              if c not in ".!?")) + "]")


def _one_sentence(paragraph: str) -> bool:
    """Return whether the sentencizer cannot split `paragraph` (it ends its only sentence, if anywhere)."""
    return not _ASCII_SPLIT.search(paragraph) and (paragraph.isascii() or not _other_final().search(paragraph))


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
    spans = [piece for s, e in spans for piece in _pieces(text, s, e)]
    return [(s + _lead(text[s:e]), e - _trail(text[s:e])) for s, e in spans if text[s:e].strip()]


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


def _lead(chunk: str) -> int:
    return len(chunk) - len(chunk.lstrip())


def _trail(chunk: str) -> int:
    return len(chunk) - len(chunk.rstrip())


def split_sentences(article_id: str, text: str) -> list[dict]:
    """Return the sentences of one article body with offsets into `text`.

    >>> [s["text"] for s in split_sentences("a", "On Nov. 9 it fell. It was retaken.")]
    ['On Nov. 9 it fell.', 'It was retaken.']
    """
    spans = paragraphs(text)
    rows: list[dict] = []
    texts = [text[s:e] for s, e in spans]
    # a paragraph with nowhere to split is its own sentence: only the others go through spaCy
    whole = [_one_sentence(paragraph) for paragraph in texts]
    docs = _nlp().pipe(paragraph for paragraph, one in zip(texts, whole) if not one)
    for paragraph_id, ((p_start, _), paragraph, one) in enumerate(zip(spans, texts, whole)):
        pieces = [(0, paragraph)] if one else [(sent.start_char, sent.text_with_ws) for sent in next(docs).sents]
        for start_char, raw in pieces:
            chunk = raw.strip()
            if not chunk:
                continue
            start = p_start + start_char + len(raw) - len(raw.lstrip())
            if rows and rows[-1]["paragraph_id"] == paragraph_id and DANGLING_QUOTE.search(rows[-1]["text"]):
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
