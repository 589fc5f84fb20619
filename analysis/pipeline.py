"""The extraction flow: articles → sentences → timexes, places, actors → claims → events."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schemas
from .actors import find_actors
from .claims import CLAIM_COLUMNS, article_claims
from .corpus import ARTICLE_COLUMNS
from .events import ACLED_COLUMNS, EVENT_COLUMNS, claim_events, finish_events, merge_events
from .places import find_places
from .sentences import split_sentences
from .timexes import tag_timexes

TABLES = ("articles", "timexes", "claims", "events")


@dataclass
class Dataset:
    """The four tables of a corpus, validated against their schemas."""

    articles: pd.DataFrame
    timexes: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    window_start: str | None = field(default=None)
    window_end: str | None = field(default=None)

    def window(self, start: str | None = None, end: str | None = None) -> "Dataset":
        """Return the dataset restricted to events and claims dated within [start, end] (empty = open)."""
        start, end = (start or None), (end or None)
        if not start and not end:
            return self
        events = self.events[_within(self.events["date_end"].fillna(self.events["event_date"]), start, None)
                             & _within(self.events["date_start"].fillna(self.events["event_date"]), None, end)]
        claims = self.claims[_within(self.claims["statement_date"], start, end)]
        return Dataset(self.articles, self.timexes, claims.reset_index(drop=True), events.reset_index(drop=True),
                       start, end)

    def save(self, folder: str | Path) -> dict[str, Path]:
        """Write each table as .parquet and .csv plus events_acled.csv into `folder`; return the paths.

        All files are first written into a hidden folder beside them and only then renamed
        into place, so an interrupted run leaves the previous complete tables (or none),
        never a half-written one.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".partial-*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder))
        try:
            writers = {}
            for name in TABLES:
                frame = getattr(self, name)
                writers[f"{name}.parquet"] = lambda p, f=frame: f.to_parquet(p, index=False)
                writers[f"{name}.csv"] = lambda p, f=frame: f.to_csv(p, index=False)
            writers["events_acled.csv"] = lambda p: self.events[ACLED_COLUMNS].to_csv(p, index=False)
            for filename, write in writers.items():
                write(staging / filename)
                os.chmod(staging / filename, 0o644)  # readable by the other tools and users of the tables
            written = {}
            for filename in writers:
                os.replace(staging / filename, folder / filename)
                written[filename] = folder / filename
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return written


def _within(dates: pd.Series, start, end) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if start:
        keep &= dates.isna() | (dates.astype("string") >= start)
    if end:
        keep &= dates.isna() | (dates.astype("string") <= end)
    return keep


def article_records(articles: pd.DataFrame) -> list[dict]:
    """Return the rows of an articles table as dicts with None for missing values."""
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in articles.to_dict("records")]


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (list, dict, str)) and bool(pd.isna(value)))


def extract_article(article: dict) -> dict:
    """Return one article's sentences-level products: timexes, claims and event reports.

    >>> parts = extract_article(load_corpus("data/corpus").iloc[0].to_dict())
    >>> sorted(parts)
    ['claims', 'reports', 'timexes']
    """
    text = article["text"]
    anchor = article.get("anchor_date")
    sentences = split_sentences(article["article_id"], text)
    timexes = tag_timexes(text, anchor)
    for t in timexes:
        t["article_id"] = article["article_id"]
        t["sentence_id"] = next((s["sentence_id"] for s in sentences if s["start"] <= t["start"] < s["end"]), None)
    mentions = find_actors(text)
    places = find_places(text)
    claims = article_claims(article, sentences, timexes, mentions)
    context: dict = {}
    reports = [r for claim in claims for r in claim_events(claim, text, places, mentions, timexes, anchor, context)]
    return {"timexes": timexes, "claims": claims, "reports": reports}


def extract(articles: pd.DataFrame, progress: bool = False) -> Dataset:
    """Return the Dataset of a corpus: the `articles` table in, four validated tables out."""
    from tqdm import tqdm

    ok = articles[articles["status"].eq("ok")]
    records = tqdm(article_records(ok), desc="articles", unit="art", disable=not progress)
    return assemble(articles, [extract_article(article) for article in records])


def assemble(articles: pd.DataFrame, parts: list[dict]) -> Dataset:
    """Return the Dataset from per-article parts: merge events across articles, link claims, count."""
    timexes = [t for p in parts for t in p["timexes"]]
    claims = [c for p in parts for c in p["claims"]]
    reports = [r for p in parts for r in p["reports"]]
    events = finish_events(merge_events(reports))
    event_of_claim: dict[str, list[str]] = {}
    for event in events:
        for claim_id in event["claim_ids"].split("; "):
            event_of_claim.setdefault(claim_id, []).append(event["event_id"])
    for claim in claims:
        claim["event_ids"] = "; ".join(event_of_claim.get(claim["claim_id"], [])) or None
    articles = articles.copy()
    articles["n_claims"] = articles["article_id"].map(pd.Series([c["article_id"] for c in claims]).value_counts()) if claims else pd.NA
    articles["n_events"] = articles["article_id"].map(
        pd.Series([a for e in events for a in e["article_ids"].split("; ")]).value_counts()) if events else pd.NA
    ok_rows = articles["status"].eq("ok")
    articles.loc[ok_rows, ["n_claims", "n_events"]] = articles.loc[ok_rows, ["n_claims", "n_events"]].fillna(0)
    return Dataset(
        articles=schemas.ARTICLES.validate(articles[ARTICLE_COLUMNS]),
        timexes=schemas.TIMEXES.validate(pd.DataFrame(timexes, columns=schemas.TIMEX_COLUMNS)),
        claims=schemas.CLAIMS.validate(pd.DataFrame(claims, columns=CLAIM_COLUMNS)),
        events=schemas.EVENTS.validate(pd.DataFrame(events, columns=EVENT_COLUMNS)),
    )
