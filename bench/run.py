"""Benchmark: words per second of the extractor and the temporal tagger, on the seed corpus.

    make bench        # or: .venv/bin/python bench/run.py --copies 200

Prints one table from one run. Peers (HeidelTime, dateparser) and the large generated
corpora join this table in later work; today it measures Dateline alone, on copies of the
embedded seed article.
"""
from __future__ import annotations

import argparse
import resource
import time

import analysis
from analysis import config
from analysis.pipeline import article_records, extract_article
from analysis.timexes import tag_timexes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="copies of the seed article to process")
    args = parser.parse_args()

    articles = analysis.load_corpus(config.DEFAULT_CORPUS)
    record = article_records(articles[articles["status"].eq("ok")])[0]
    words = len(record["text"].split()) * args.copies
    extract_article(record)  # warm the dictionaries, gazetteer and spaCy once

    rows = []
    start = time.perf_counter()
    for _ in range(args.copies):
        tag_timexes(record["text"], record["anchor_date"])
    rows.append(("temporal tagger (Dateline)", words, time.perf_counter() - start))

    start = time.perf_counter()
    for _ in range(args.copies):
        extract_article(record)
    rows.append(("extraction per article (Dateline, local)", words, time.perf_counter() - start))

    print(f"{'stage':<44}{'words':>10}{'seconds':>10}{'words/s':>12}")
    for name, n, seconds in rows:
        print(f"{name:<44}{n:>10}{seconds:>10.2f}{n / seconds:>12,.0f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
