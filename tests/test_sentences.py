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


def test_a_paragraph_read_whole_is_one_the_sentencizer_would_not_split():
    from analysis.sentences import _nlp, _one_sentence

    paragraphs = ["Troops entered al-Bukamal.", "It fell?!", 'He said: "It fell."', "It fell (reportedly).",
                  "No full stop at all", "IS retook it. The army withdrew.", "Nov. 9 was the day",
                  'It fell." Then', "He left.  \u201d", "\u0627\u0644\u062c\u064a\u0634\u061f \u0646\u0639\u0645",
                  "3.5 km away", "U.S. forces", "Why? Nobody knows", "It fell\u3002 Then more"]
    for paragraph in paragraphs:
        sentences = list(_nlp()(paragraph).sents)
        if _one_sentence(paragraph):
            assert len(sentences) == 1, paragraph
    assert _one_sentence("Troops entered al-Bukamal.") and not _one_sentence("IS retook it. The army withdrew.")


@given(st.text(alphabet=st.sampled_from(list("ab .!?\"')]\u201d\u2019\u00bb\u061f\u3002-\n")), min_size=1, max_size=40))
def test_no_paragraph_read_whole_would_be_split(paragraph):
    from analysis.sentences import _nlp, _one_sentence

    if paragraph.strip() and _one_sentence(paragraph.strip()):
        assert len(list(_nlp()(paragraph.strip()).sents)) == 1
