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
