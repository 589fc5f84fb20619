import json

from pandas.testing import assert_frame_equal

import analysis
from analysis import config
from analysis.distributed import extract_dask


def test_dask_engine_gives_the_same_tables_as_the_local_engine(tmp_path):
    (tmp_path / "seed.txt").write_text((config.DEFAULT_CORPUS / "xinhua-2017-11-19-al-bukamal.txt").read_text())
    lines = [
        {"id": "r1", "outlet": "Reuters", "published": "2017-11-20",
         "text": "BEIRUT, Nov 20 (Reuters) - The Syrian army captured 80 percent of al-Bukamal from IS on Sunday, "
                 "the Syrian Observatory for Human Rights said."},
        {"id": "r2", "outlet": "AFP", "published": "2017-11-12",
         "text": "Islamic State fighters retook Albu Kamal on Saturday, a monitor said."},
    ]
    (tmp_path / "more.jsonl").write_text("".join(json.dumps(l) + "\n" for l in lines))
    articles = analysis.load_corpus(tmp_path)
    local = analysis.extract(articles)
    remote = extract_dask(articles, partition_size=1)
    for name in ("articles", "timexes", "claims", "events"):
        assert_frame_equal(getattr(remote, name), getattr(local, name))
    assert len(local.events) > 0


class _Done:
    """A finished future, as client.submit would return once the task ran."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _RecordingClient:
    """Stands in for a dask Client: runs each task at once and counts the futures not yet collected."""

    def __init__(self):
        self.outstanding, self.most_outstanding = 0, 0

    def scheduler_info(self):
        return {"workers": {"w1": {}, "w2": {}}}

    def submit(self, function, chunk, pure):
        self.outstanding += 1
        self.most_outstanding = max(self.most_outstanding, self.outstanding)
        client = self

        class Future(_Done):
            def result(self):
                client.outstanding -= 1
                return super().result()

        return Future(function(chunk))


def test_partitions_are_cut_from_the_stream_and_few_are_in_flight(monkeypatch):
    from analysis import distributed

    monkeypatch.setattr(distributed, "extract_article_or_flag", lambda record: {"id": record["id"]})
    read = []

    def records():
        for i in range(50):
            read.append(i)
            yield {"id": i}

    client = _RecordingClient()
    parts = distributed.cluster_parts(client, records(), partition_size=3, in_flight=2)
    first = next(parts)
    assert first == {"id": 0} and len(read) <= 2 * 3  # two partitions submitted, not the whole input
    assert [p["id"] for p in parts] == list(range(1, 50))  # in input order
    assert client.most_outstanding <= 2


def test_streamed_dask_engine_writes_the_same_tables_as_the_local_stream(tmp_path, monkeypatch):
    import shutil

    import pandas as pd

    from analysis import pipeline
    from analysis.corpus import iter_articles
    from analysis.distributed import extract_stream_dask
    from analysis.pipeline import extract_stream

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_text((config.DEFAULT_CORPUS / "xinhua-2017-11-19-al-bukamal.txt").read_text())
    shutil.copytree(config.ROOT / "tests" / "fixtures" / "battle" / "articles", tmp_path / "in" / "battle")
    (tmp_path / "in" / "more.jsonl").write_text(json.dumps(
        {"id": "r1", "outlet": "Reuters", "published": "2017-11-20",
         "text": "BEIRUT, Nov 20 (Reuters) - The Syrian army captured 80 percent of al-Bukamal from IS on Sunday, "
                 "the Syrian Observatory for Human Rights said."}) + "\n")
    extract_stream(iter_articles(tmp_path / "in"), tmp_path / "local")
    # packed partitions of 3 articles joined again when read back, places merged on the workers
    monkeypatch.setattr(pipeline, "SPILL_ROWS", 50)
    extract_stream_dask(iter_articles(tmp_path / "in"), tmp_path / "dask", partition_size=3)
    for name in ("articles.csv", "timexes.csv", "claims.csv", "events.csv", "events_acled.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    for name in ("articles", "timexes", "claims", "events"):
        assert_frame_equal(pd.read_parquet(tmp_path / "dask" / f"{name}.parquet"),
                           pd.read_parquet(tmp_path / "local" / f"{name}.parquet"))
    assert len(pd.read_parquet(tmp_path / "local" / "events.parquet")) > 5
