import subprocess
import sys

from pandas.testing import assert_frame_equal

import analysis
from analysis import config, pipeline
from analysis.cache import corpus_key, extract_cached


def test_cached_tables_equal_a_fresh_extraction(tmp_path):
    articles = analysis.load_corpus(config.DEFAULT_CORPUS)
    fresh = analysis.extract(articles)
    first = extract_cached(articles, tmp_path)
    again = extract_cached(articles, tmp_path)
    for name in ("articles", "timexes", "claims", "events"):
        assert_frame_equal(getattr(first, name), getattr(fresh, name))
        assert_frame_equal(getattr(again, name), getattr(fresh, name))
    assert len(list(tmp_path.iterdir())) == 1


def test_second_run_reads_the_cache_instead_of_extracting(tmp_path, monkeypatch):
    articles = analysis.load_corpus(config.DEFAULT_CORPUS)
    extract_cached(articles, tmp_path)
    monkeypatch.setattr(pipeline, "extract", lambda a: (_ for _ in ()).throw(AssertionError("extracted again")))
    assert len(extract_cached(articles, tmp_path).events) > 0


def test_a_changed_article_changes_the_key():
    articles = analysis.load_corpus(config.DEFAULT_CORPUS)
    edited = articles.copy()
    edited.loc[0, "text"] = edited.loc[0, "text"] + " One more sentence."
    assert corpus_key(articles) != corpus_key(edited)


def test_a_report_on_cached_tables_does_not_load_the_extractor(tmp_path):
    articles = analysis.load_corpus(config.DEFAULT_CORPUS)
    extract_cached(articles, tmp_path)
    script = ("import sys, analysis; "
              f"analysis.extract_cached(analysis.load_corpus({str(config.DEFAULT_CORPUS)!r}), {str(tmp_path)!r}); "
              "print(sorted(m for m in sys.modules if m in ('analysis.pipeline', 'analysis.timexes')))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
