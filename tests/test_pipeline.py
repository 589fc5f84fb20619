import json
import shutil

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import analysis
from analysis import config, pipeline
from analysis.corpus import iter_articles
from analysis.events import event_order
from analysis.pipeline import extract_article, extract_stream

TABLES = ("articles", "timexes", "claims", "events")
FILES = ("articles.csv", "timexes.csv", "claims.csv", "events.csv", "events_acled.csv")


@pytest.fixture
def corpus(tmp_path):
    """The seed, the battle fixture and JSONL lines with a duplicate id, a broken line and an empty file."""
    folder = tmp_path / "corpus"
    shutil.copytree(config.DEFAULT_CORPUS, folder / "seed")
    shutil.copytree(config.ROOT / "tests" / "fixtures" / "battle" / "articles", folder / "battle")
    lines = [
        json.dumps({"id": "r1", "outlet": "Reuters", "published": "2017-11-20",
                    "text": "BEIRUT, Nov 20 (Reuters) - The Syrian army captured 80 percent of al-Bukamal from IS "
                            "on Sunday, the Syrian Observatory for Human Rights said."}),
        "{broken",
        json.dumps({"id": "r1", "outlet": "AFP", "published": "2017-11-12",
                    "text": "Islamic State fighters retook Albu Kamal on Saturday, a monitor said."}),
    ]
    (folder / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    return folder


def test_streamed_extract_writes_the_same_tables_as_extract_then_save(corpus, tmp_path, monkeypatch):
    analysis.extract(analysis.load_corpus(corpus)).save(tmp_path / "whole")
    monkeypatch.setattr(pipeline, "SPILL_ROWS", 5)  # many parts on disk, many chunks written
    monkeypatch.setattr(pipeline, "REPORT_BATCH", 2)  # event reports packed two articles at a time
    monkeypatch.setattr(pipeline, "REPORT_BUFFER_BYTES", 1)  # and go to disk at once
    monkeypatch.setattr(pipeline, "RUN_ROWS", 2)  # places' runs in many chunks,
    monkeypatch.setattr(pipeline, "RUN_CHUNKS_HELD", 2)  # few of them held: the others read again when needed
    done = extract_stream(iter_articles(corpus), tmp_path / "streamed")
    for name in TABLES:
        assert_frame_equal(pd.read_parquet(tmp_path / "streamed" / f"{name}.parquet"),
                           pd.read_parquet(tmp_path / "whole" / f"{name}.parquet"))
    for name in FILES:
        assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    assert done.events == len(pd.read_parquet(tmp_path / "whole" / "events.parquet")) > 0
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == sorted(done.written)


def test_streamed_extract_reports_duplicates_and_problems_as_it_reads(corpus, tmp_path):
    warned = []
    done = extract_stream(iter_articles(corpus), tmp_path / "out", warn=lambda row: warned.append(row["problem"]))
    assert "duplicate id" in warned and "empty file" in warned
    assert done.flagged == len(warned)
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert done.articles_ok == int(articles["status"].eq("ok").sum())


def test_streamed_extract_reads_no_article_before_the_last_one_is_handed_on(corpus, tmp_path):
    pulled = []

    def rows():
        for row in iter_articles(corpus):
            pulled.append(row["article_id"])
            yield row

    def parts_of(records):
        for record in records:
            assert pulled[-1] == record["article_id"]  # nothing read ahead of the article in hand
            yield extract_article(record)

    extract_stream(rows(), tmp_path / "out", parts_of=parts_of)
    assert len(pulled) == len(analysis.load_corpus(corpus))


def test_streamed_extract_of_no_articles_writes_empty_tables(tmp_path):
    done = extract_stream(iter([]), tmp_path / "out")
    assert (done.articles_ok, done.claims, done.events) == (0, 0, 0)
    claims = pd.read_parquet(tmp_path / "out" / "claims.parquet")
    assert len(claims) == 0 and "claimant" in claims.columns


def test_sentence_ids_of_timexes_by_bisection_match_the_first_sentence_holding_them():
    sentences = [{"sentence_id": 0, "start": 0, "end": 10}, {"sentence_id": 1, "start": 12, "end": 20}]
    find = pipeline._sentence_finder(sentences)
    assert [find(offset) for offset in (0, 9, 10, 11, 12, 19, 20)] == [0, 0, None, None, 1, 1, None]


def test_a_file_started_by_prepare_is_written_while_prepare_goes_on(tmp_path):
    import threading

    written = threading.Event()

    def write_early(path):
        path.write_text("early")
        written.set()

    def prepare(staging, start):
        start("early.txt")
        assert written.wait(timeout=30)  # written before prepare returns: beside it, not after it
        (staging / "spilled.part").write_text("intermediate")

    files = pipeline.write_atomically(tmp_path, {"early.txt": write_early, "late.txt": lambda p: p.write_text("late")},
                                      prepare)
    assert sorted(files) == ["early.txt", "late.txt"]
    assert (tmp_path / "early.txt").read_text() == "early" and (tmp_path / "late.txt").read_text() == "late"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["early.txt", "late.txt"]  # staging removed


def test_a_failing_writer_started_by_prepare_fails_the_save_and_keeps_the_previous_files(tmp_path):
    (tmp_path / "table.txt").write_text("previous")

    def broken(path):
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        pipeline.write_atomically(tmp_path, {"table.txt": broken, "other.txt": lambda p: p.write_text("x")},
                                  lambda staging, start: start("table.txt"))
    assert (tmp_path / "table.txt").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.txt"]


def _failing_on(article_id):
    """extract_article, raising for one article as a rule bug would."""
    def extract(article):
        if article["article_id"] == article_id:
            raise KeyError("ſeconds")
        return extract_article(article)
    return extract


def test_an_article_the_extractor_fails_on_is_flagged_and_the_run_goes_on(corpus, tmp_path, monkeypatch):
    articles = analysis.load_corpus(corpus)
    victim = articles.loc[articles["status"].eq("ok"), "article_id"].iloc[0]
    monkeypatch.setattr(pipeline, "extract_article", _failing_on(victim))
    warned = []
    done = extract_stream(iter_articles(corpus), tmp_path / "out", warn=warned.append)
    table = pd.read_parquet(tmp_path / "out" / "articles.parquet").set_index("article_id")
    assert table.loc[victim, ["status", "problem"]].tolist() == ["skipped", "extraction failed: KeyError: 'ſeconds'"]
    assert pd.isna(table.loc[victim, "n_claims"])
    assert [w["path"] for w in warned if w["problem"].startswith("extraction failed")] == [table.loc[victim, "path"]]
    assert done.articles_ok == int(table["status"].eq("ok").sum()) > 0
    assert victim not in set(pd.read_parquet(tmp_path / "out" / "claims.parquet")["article_id"])
    in_memory = analysis.extract(articles)  # the notebooks' path flags it the same way
    assert_frame_equal(in_memory.articles.drop(columns="path"), pd.read_parquet(tmp_path / "out" / "articles.parquet").drop(columns="path"))


def test_a_failing_article_is_flagged_when_partitions_are_packed(corpus, tmp_path, monkeypatch):
    from analysis import distributed
    from tests.test_distributed import _RecordingClient

    victim = analysis.load_corpus(corpus).query("status == 'ok'")["article_id"].iloc[-1]
    monkeypatch.setattr(pipeline, "extract_article", _failing_on(victim))
    client = _RecordingClient()
    done = extract_stream(iter_articles(corpus), tmp_path / "packed",
                          lambda records: distributed.cluster_parts(client, records, 2, packed=True))
    local = extract_stream(iter_articles(corpus), tmp_path / "local")
    for name in FILES:
        assert (tmp_path / "packed" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert (done.flagged, done.articles_ok) == (local.flagged, local.articles_ok)
    assert "extraction failed" in (tmp_path / "packed" / "articles.csv").read_text()


def test_a_place_run_holds_its_events_in_event_order():
    """place_run relies on merge_events' order: the numbering sorts the keys of all places, stably."""
    articles = analysis.load_corpus([config.DEFAULT_CORPUS, config.ROOT / "tests" / "fixtures" / "battle"])
    parts = [extract_article(a) for a in pipeline.article_records(articles[articles["status"].eq("ok")])]
    runs = [pipeline.place_run([blob]) for blob in pipeline.report_blobs(r for p in parts for r in p["reports"]).values()]
    assert sum(len(pipeline._from_ipc(run["keys"])) for run in runs) > 10
    for run in runs:
        rows = [row for chunk in run["chunks"] for row in pipeline._from_ipc(chunk).to_pylist()]
        keys = [event_order(row["event_date"], row["location"], row["claim_ids"].split("; ")[0]) for row in rows]
        assert keys == sorted(keys)
        assert pipeline._from_ipc(run["keys"]).select(["date", "location", "first"]).to_pylist() == [
            dict(zip(["date", "location", "first"], key)) for key in keys]


def test_the_run_reader_reads_a_dropped_chunk_again(tmp_path, monkeypatch):
    """The events are copied from the places' chunks in order; with more places than chunks held,
    a chunk dropped before it was read out is read again from its file."""
    import pyarrow as pa

    monkeypatch.setattr(pipeline, "RUN_CHUNKS_HELD", 1)
    runs = []
    for place in range(3):
        rows = [f"p{place}-{i}" for i in range(5)]
        runs.append([tmp_path / f"run-{place}-{n}.arrow" for n in range(3)])
        for path, first in zip(runs[-1], range(0, 5, 2)):
            path.write_bytes(pipeline._ipc(pa.table({"row": rows[first:first + 2]})))
    reader = pipeline._RunReader(runs)
    got = {place: [] for place in range(3)}
    for place, count in [(0, 1), (1, 3), (0, 2), (2, 5), (1, 2), (0, 2)]:
        got[place] += [row for piece in reader.take(place, count) for row in piece["row"].to_pylist()]
    assert got == {place: [f"p{place}-{i}" for i in range(5)] for place in range(3)}
    assert not list(tmp_path.iterdir())  # each chunk file deleted once read out


def test_event_ids_made_in_arrow_are_events_event_ids():
    from analysis.events import event_id

    numbers = [1, 7, 99_999, 100_000, 1_234_567]
    assert pipeline._event_id_array(np.array(numbers)).to_pylist() == [event_id(n) for n in numbers]
