from hypothesis import given, strategies as st

from analysis.sentences import MAX_PARAGRAPH, paragraphs, split_sentences


def test_paragraphs_split_on_blank_lines_first():
    text = "DAMASCUS, Nov. 19 (Xinhua) -- One. Two.\n\n  Three.  \n"
    assert [text[s:e] for s, e in paragraphs(text)] == ["DAMASCUS, Nov. 19 (Xinhua) -- One. Two.", "Three."]


def test_abbreviated_months_do_not_end_sentences():
    rows = split_sentences("a", "On Nov. 9 the army entered. On Nov. 11 IS retook it.")
    assert [r["text"] for r in rows] == ["On Nov. 9 the army entered.", "On Nov. 11 IS retook it."]


def test_sentences_carry_paragraph_ids_and_offsets():
    text = "One here.\n\nTwo here. Three here."
    rows = split_sentences("a", text)
    assert [(r["paragraph_id"], r["sentence_id"]) for r in rows] == [(0, 0), (1, 1), (1, 2)]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_a_dump_without_blank_lines_is_cut_into_pieces_spacy_accepts():
    text = ("word " * 50_000).strip()
    spans = paragraphs(text)
    assert len(spans) > 1 and all(e - s <= MAX_PARAGRAPH for s, e in spans)
    assert split_sentences("a", text)


@given(st.text(max_size=300))
def test_any_text_gives_sentences_that_index_it(text):
    for row in split_sentences("a", text):
        assert text[row["start"]:row["end"]] == row["text"]


def _sentencizer_starts(paragraph: str) -> list[int]:
    from analysis.sentences import _nlp

    return [sent.start_char for sent in _nlp()(paragraph).sents]


def test_sentence_starts_are_where_the_sentencizer_starts_sentences():
    from analysis.sentences import sentence_starts

    paragraphs = ["Troops entered al-Bukamal.", "It fell?!", 'He said: "It fell."', "It fell (reportedly).",
                  "No full stop at all", "IS retook it. The army withdrew.", "Nov. 9 was the day",
                  'It fell." Then', "He left.  \u201d", "\u0627\u0644\u062c\u064a\u0634\u061f \u0646\u0639\u0645",
                  "3.5 km away", "U.S. forces", "Why? Nobody knows", "It fell\u3002 Then more",
                  'It fell. "It was retaken," he said.', "It fell.\nThen", "It fell.  Then", "It fell. -- ( ) Then",
                  "It fell.\u00a0Then", "A. B. C.", "It fell... Then", "Mr. Smith left. Then"]
    for paragraph in paragraphs:
        assert sentence_starts(paragraph) == _sentencizer_starts(paragraph), paragraph
    assert sentence_starts("IS retook it. The army withdrew.") == [0, 14]


# single characters, sentence-final and not, and pieces the tokenizer keeps whole or splits
_PIECES = list("ab .!?\"')]\u201d\u2019\u00bb\u061f\u3002-\n\t\u00a0") + ["Nov.", "U.S.", "3.5", "...", "Mr.", " \n ", "It"]


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30))
def test_sentence_starts_agree_with_the_sentencizer_on_any_paragraph(pieces):
    from analysis.sentences import sentence_starts

    paragraph = "".join(pieces).strip()
    if paragraph:
        assert sentence_starts(paragraph) == _sentencizer_starts(paragraph)


@given(st.characters().filter(str.isalnum), st.text(max_size=6).filter(lambda rest: not any(c.isspace() for c in rest)))
def test_a_chunk_that_opens_with_a_letter_or_digit_opens_with_a_plain_token(first, rest):
    # sentence_starts takes such a chunk after a sentence-final token as a sentence start without tokenizing it
    from analysis.sentences import _chunk_tokens

    assert _chunk_tokens(first + rest)[0] == (0, False, False)
