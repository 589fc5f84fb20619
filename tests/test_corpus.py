import json

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from analysis.corpus import dateline_match, load_corpus, parse_wire_text, safe_id

WIRE = """Army takes the town

Source: Xinhua| 2018-01-02 10:00:00|Editor: someone
Video PlayerClose

BEIRUT, Dec. 31 (Xinhua) -- The army took the town, a monitor said.

Second paragraph.
"""


def test_wire_text_header_is_parsed(tmp_path):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    row = load_corpus(tmp_path).iloc[0]
    assert (row["title"], row["outlet"], row["published"], row["editor"]) == (
        "Army takes the town", "Xinhua", "2018-01-02T10:00:00", "someone")


def test_dateline_month_day_takes_the_year_on_or_before_publication(tmp_path):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    row = load_corpus(tmp_path).iloc[0]
    assert (row["dateline_place"], row["dateline_date"], row["anchor_date"]) == ("Beirut", "2017-12-31", "2017-12-31")


def test_page_chrome_lines_are_dropped():
    assert "Video PlayerClose" not in parse_wire_text(WIRE)["text"]


def test_body_keeps_paragraphs_and_dateline():
    body = parse_wire_text(WIRE)["text"]
    assert body.startswith("BEIRUT, Dec. 31 (Xinhua) --") and "\n\nSecond paragraph." in body


def test_anchor_falls_back_to_publication_date(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x", "text": "No dateline here.", "published": "2017-11-19T08:00:00Z"}) + "\n")
    row = load_corpus(tmp_path).iloc[0]
    assert (row["dateline_date"], row["anchor_date"]) == (None, "2017-11-19")


def test_every_bad_input_gets_a_skipped_row_with_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "lines.jsonl").write_text('{"id": "ok", "text": "Fine text here.", "published": "2017-11-19"}\n{broken\n{"id": "nt"}\n')
    rows = load_corpus(tmp_path).set_index("path")[["status", "problem"]]
    assert rows.loc[str(tmp_path / "empty.txt")].tolist() == ["skipped", "empty file"]
    assert rows.loc[str(tmp_path / "binary.txt")].tolist() == ["skipped", "binary file"]
    assert rows.loc[str(tmp_path / "notes.docx"), "status"] == "skipped"
    assert rows.loc[f"{tmp_path / 'lines.jsonl'}:1", "status"] == "ok"
    assert rows.loc[f"{tmp_path / 'lines.jsonl'}:2", "problem"].startswith("broken JSON line")
    assert rows.loc[f"{tmp_path / 'lines.jsonl'}:3"].tolist() == ["skipped", "no text"]


def test_undecodable_bytes_are_replaced_and_flagged(tmp_path):
    (tmp_path / "a.txt").write_bytes("Title\n\nBody with caf\xe9 in Latin-1.".encode("latin-1"))
    row = load_corpus(tmp_path).iloc[0]
    assert row["status"] == "ok" and "undecodable" in row["problem"] and "\ufffd" in row["text"]


def test_duplicate_ids_are_skipped(tmp_path):
    line = json.dumps({"id": "same", "text": "Some text.", "published": "2017-11-19"})
    (tmp_path / "a.jsonl").write_text(line + "\n" + line + "\n")
    assert load_corpus(tmp_path)["problem"].tolist() == [None, "duplicate id"]


def test_ids_cannot_climb_out_of_a_folder():
    assert safe_id("../../etc/passwd") == "etc-passwd"
    assert "/" not in safe_id("/abs/path") and ".." not in safe_id("..")


def test_saved_web_page_main_text_is_extracted(tmp_path):
    page = ("<html><head><title>Army retakes town</title></head><body><nav>Home | World</nav><article>"
            "<h1>Army retakes town</h1><p>" + "The army retook the town on Sunday after heavy fighting, officials said. " * 4
            + "</p><p>" + "Residents fled the area as the battle went on for days. " * 4 + "</p></article></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    row = load_corpus(tmp_path).iloc[0]
    assert row["status"] == "ok" and "retook the town" in row["text"] and "Home | World" not in row["text"]


@given(st.text(max_size=400))
def test_wire_parser_returns_a_row_for_any_text(text):
    row = parse_wire_text(text)
    assert isinstance(row["text"], str)


@pytest.mark.parametrize("sentence", [
    "The Syrian regime said the US-led coalition struck the bridge.",
    "Rebels in Idlib blamed the UN-brokered truce - and the army.",
])
def test_a_hyphenated_initialism_is_not_a_bare_agency_dateline(sentence):
    assert dateline_match(sentence) is None


def test_a_bare_agency_dateline_is_read():
    m = dateline_match("BEIRUT, Nov. 8 AFP - The army entered the town.")
    assert (m.group("place"), m.group("agency_bare"), m.group(0)) == ("BEIRUT", "AFP", "BEIRUT, Nov. 8 AFP - ")


def test_day_first_dateline_and_byline_are_read(tmp_path):
    (tmp_path / "a.txt").write_text("Army enters town\n\nBy Lina Haddad\n\nBEIRUT, 19 November 2017 (AFP) - The army entered the town.\n",
                                    encoding="utf-8")
    row = load_corpus(tmp_path).iloc[0]
    assert (row["editor"], row["dateline_place"], row["dateline_date"], row["agency"]) == (
        "Lina Haddad", "Beirut", "2017-11-19", "AFP")
    assert row["text"].startswith("BEIRUT, 19 November 2017 (AFP) - ")
