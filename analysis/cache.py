"""Extraction cache: a corpus's tables keyed by the hash of its articles and of Dateline's own code and data.

A report for another place or date window on an unchanged corpus reads the tables back
instead of extracting again; any change to an article, a rule file in data/ or a module of
analysis/ gives a new key.
"""
from __future__ import annotations

import hashlib
import shutil
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import config, schemas
from .dataset import TABLES, Dataset

PRESENTATION = {"charts", "basemap", "narrative", "report", "pdf", "products", "cli", "cache", "__main__"}
KEY_COLUMNS = ["article_id", "path", "title", "outlet", "published", "anchor_date", "status", "problem", "text"]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Return a hash of the modules and rule files that shape extraction."""
    digest = hashlib.sha256()
    # the modules that only present the tables (charts, prose, the report runner) do not change them
    files = sorted(p for p in config.PACKAGE_DIR.glob("*.py") if p.stem not in PRESENTATION) + sorted(
        p for p in config.DATA_DIR.glob("*") if p.is_file() and p.suffix in (".yaml", ".csv"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_key(articles: pd.DataFrame) -> str:
    """Return the cache key of an articles table: its content plus the code version.

    >>> len(corpus_key(load_corpus("data/corpus")))
    64
    """
    digest = hashlib.sha256(code_version().encode())
    hashed = pd.util.hash_pandas_object(articles[KEY_COLUMNS].astype("string"), index=False)
    digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def load_tables(folder: str | Path) -> Dataset:
    """Return the Dataset saved in `folder` by Dataset.save, validated against the schemas."""
    folder = Path(folder)
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    return Dataset(
        articles=schemas.ARTICLES.validate(frames["articles"]), timexes=schemas.TIMEXES.validate(frames["timexes"]),
        claims=schemas.CLAIMS.validate(frames["claims"]), events=schemas.EVENTS.validate(frames["events"]))


def extract_cached(articles: pd.DataFrame, cache_dir: str | Path | None = None) -> Dataset:
    """Return extract(articles), read from the cache when the same corpus was extracted by the same code."""
    cache_dir = Path(cache_dir or config.CACHE_DIR)
    folder = cache_dir / corpus_key(articles)
    if (folder / "complete").is_file():
        try:
            return load_tables(folder)
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            shutil.rmtree(folder, ignore_errors=True)
    from .pipeline import extract  # the extractor's modules are imported only when there is extracting to do

    dataset = extract(articles)
    dataset.save(folder)
    (folder / "complete").touch()
    return dataset
