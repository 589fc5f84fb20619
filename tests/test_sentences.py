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
