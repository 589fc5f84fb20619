"""Extract every article of a JSON Lines file in this one process, reading and writing nothing else.

    python bench/extract_only.py ARTICLES.jsonl

bench/run.py runs it once alone and then twice at once, to measure how much faster this
machine does the per-article work with two processes than with one: the most a dask
cluster of two workers can gain over one, whatever the engine does around the work.
Prints the seconds spent extracting (after the dictionaries are loaded).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the Dateline checkout this file belongs to

from analysis.corpus import load_corpus  # noqa: E402
from analysis.pipeline import article_records, extract_article, warm_up  # noqa: E402


def main(path: str) -> float:
    articles = load_corpus(path)
    records = article_records(articles[articles["status"].eq("ok")])  # as pipeline.extract reads them
    warm_up()
    started = time.perf_counter()
    for record in records:
        extract_article(record)
    return time.perf_counter() - started


if __name__ == "__main__":
    print(f"{main(sys.argv[1]):.3f}")
