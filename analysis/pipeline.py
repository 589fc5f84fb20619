"""The extraction flow: articles → sentences → timexes, places, actors → claims → events."""
from __future__ import annotations

import gc
import os
import pickle
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schemas
from .actors import find_actors
from .claims import CLAIM_COLUMNS, article_claims
from .corpus import ARTICLE_COLUMNS
from .dataset import Dataset, _table_writers, arrow_table, write_atomically
from .events import EVENT_COLUMNS, claim_events, event_order, finish_events, merge_events, place_of
from .offsets import Spans
from .places import find_places
from .sentences import split_sentences
from .timexes import tag_timexes

def article_records(articles: pd.DataFrame) -> list[dict]:
    """Return the rows of an articles table as dicts with None for missing values."""
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in articles.to_dict("records")]


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (list, dict, str)) and bool(pd.isna(value)))


_warmed_up = False


def warm_up() -> None:
    """Load the dictionaries, the gazetteer, spaCy and the rule sets, then hide them from the
    garbage collector (gc.freeze).

    They live as long as the process; before this, collections walked these hundreds of
    thousands of objects again and again (20% of a 2k-article run). Called by
    extract_article on its first use in a process, a dask worker's included.
    """
    global _warmed_up
    if _warmed_up:
        return
    _warmed_up = True
    sample = dict.fromkeys(ARTICLE_COLUMNS) | {
        "article_id": "warm-up", "outlet": "Reuters", "agency": "AFP", "dateline_place": "Damascus",
        "anchor_date": "2017-11-19", "published": "2017-11-19",
        "text": "DAMASCUS, Nov. 19 (Xinhua) -- The army took Abu Kamal on Sunday, state TV said."}
    release_arrow_memory()
    extract_article(sample)
    gc.collect()
    gc.freeze()
    # Extraction allocates millions of short-lived, acyclic dicts and strings: collect young
    # objects less often (Python's default, 700, cost 7% of a 2k-article run).
    gc.set_threshold(50_000, 20, 100)


def release_arrow_memory() -> None:
    """Have pyarrow allocate with the C library's malloc, which gives large freed blocks back to the
    system at once, rather than its bundled mimalloc, which keeps them: the tables are built and
    written a frame at a time, and what mimalloc kept showed as resident memory (10k generated
    articles: peak RSS 570-585 -> 470-475 MB, the same time within noise).
    """
    pa.set_memory_pool(pa.system_memory_pool())


def extract_article(article: dict) -> dict:
    """Return one article's sentences-level products: timexes, claims and event reports.

    >>> parts = extract_article(load_corpus("data/corpus").iloc[0].to_dict())
    >>> sorted(parts)
    ['claims', 'reports', 'timexes']
    """
    warm_up()
    text = article["text"]
    anchor = article.get("anchor_date")
    sentences = split_sentences(article["article_id"], text)
    timexes = tag_timexes(text, anchor)
    sentence_of = _sentence_finder(sentences)
    for t in timexes:
        t["article_id"] = article["article_id"]
        t["sentence_id"] = sentence_of(t["start"])
    mentions = find_actors(text)
    places = find_places(text)
    claims, reports = [], []
    context: dict = {}
    indexed = [Spans(items) for items in (timexes, mentions, places)]
    for lo, hi, window in _windows(sentences):
        w_timexes, w_mentions, w_places = (spans.window(lo, hi) for spans in indexed)
        found = article_claims(article, window, w_timexes.items, w_mentions.items)
        for claim in found:  # claim numbers run on across windows
            claim["claim_id"] = f"{article['article_id']}-c{len(claims) + 1:03d}"
            claims.append(claim)
        reports += [r for claim in found
                    for r in claim_events(claim, text, w_places, w_mentions, w_timexes, anchor, context)]
    return {"timexes": timexes, "claims": claims, "reports": reports}


def extract_article_or_flag(article: dict) -> dict:
    """Return extract_article(article); should it fail on this article, empty parts and, under "failed",
    the article's id, path and the one-line reason, so that one odd article is flagged rather than
    stopping the run. With DATELINE_DEBUG set the failure is raised instead.

    >>> extract_article_or_flag({"article_id": "a1", "path": "x.txt", "text": None})["failed"]["problem"]
    "extraction failed: TypeError: expected string or bytes-like object, got 'NoneType'"
    """
    try:
        return extract_article(article)
    except Exception as exc:
        if os.environ.get("DATELINE_DEBUG"):
            raise
        reason = (str(exc).strip().splitlines() or [""])[0]
        return {"timexes": [], "claims": [], "reports": [],
                "failed": {"article_id": article.get("article_id"), "path": article.get("path"),
                           "problem": f"extraction failed: {type(exc).__name__}: {reason}".rstrip(": ")}}


def with_failures(articles: pd.DataFrame, failures: dict[str, str]) -> pd.DataFrame:
    """Return the articles table with the articles whose extraction failed marked skipped, the reason as problem."""
    if not failures:
        return articles
    failed = articles["article_id"].isin(list(failures)) & articles["status"].eq("ok")
    if not failed.any():
        return articles
    articles = articles.copy()
    articles.loc[failed, "status"] = "skipped"
    articles.loc[failed, "problem"] = articles.loc[failed, "article_id"].map(failures)
    return articles


# Sentences read together; a long dump is read in windows of whole paragraphs this long, so the
# per-claim look-ups (back-references, places, actors) stay local and the cost linear.
WINDOW_CHARS = 20_000


def _windows(sentences: list[dict]) -> Iterator[tuple[int, int, list[dict]]]:
    """Yield (start, end, sentences) windows of whole paragraphs, each about WINDOW_CHARS long."""
    window: list[dict] = []
    for sent in sentences:
        if window and sent["paragraph_id"] != window[-1]["paragraph_id"] \
                and sent["end"] - window[0]["start"] > WINDOW_CHARS:
            yield window[0]["start"], window[-1]["end"], window
            window = []
        window.append(sent)
    if window:
        yield window[0]["start"], window[-1]["end"], window


def _sentence_finder(sentences: list[dict]) -> Callable[[int], int | None]:
    """Return a function: character offset -> id of the first sentence holding it, or None.

    Sentences come in text order without overlap, so a bisection finds it; should they
    ever overlap, the first-match scan decides, as the definition says.
    """
    starts = [s["start"] for s in sentences]
    ordered = all(a["end"] <= b["start"] for a, b in zip(sentences, sentences[1:]))

    def scan(offset: int) -> int | None:
        return next((s["sentence_id"] for s in sentences if s["start"] <= offset < s["end"]), None)

    def bisect(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return sentences[i]["sentence_id"] if i >= 0 and offset < sentences[i]["end"] else None

    return bisect if ordered else scan


def extract(articles: pd.DataFrame, progress: bool = False) -> Dataset:
    """Return the Dataset of a corpus: the `articles` table in, four validated tables out."""
    from tqdm import tqdm

    ok = articles[articles["status"].eq("ok")]
    records = tqdm(article_records(ok), desc="articles", unit="art", disable=not progress)
    return assemble(articles, [extract_article_or_flag(article) for article in records])


def assemble(articles: pd.DataFrame, parts: list[dict]) -> Dataset:
    """Return the Dataset from per-article parts: merge events across articles, link claims, count."""
    timexes = [t for p in parts for t in p["timexes"]]
    claims = [c for p in parts for c in p["claims"]]
    reports = [r for p in parts for r in p["reports"]]
    events = finish_events(merge_events(reports))
    event_ids = claim_event_ids(events)
    for claim in claims:
        claim["event_ids"] = event_ids.get(claim["claim_id"])
    counts = Counter(c["article_id"] for c in claims)
    articles = with_failures(articles, {p["failed"]["article_id"]: p["failed"]["problem"] for p in parts if "failed" in p})
    return Dataset(
        articles=schemas.ARTICLES.validate(with_counts(articles, counts, events_per_article(events))[ARTICLE_COLUMNS]),
        timexes=schemas.TIMEXES.validate(pd.DataFrame(timexes, columns=schemas.TIMEX_COLUMNS)),
        claims=schemas.CLAIMS.validate(pd.DataFrame(claims, columns=CLAIM_COLUMNS)),
        events=schemas.EVENTS.validate(pd.DataFrame(events, columns=EVENT_COLUMNS)),
    )


def claim_event_ids(events: Iterable[dict]) -> dict[str, str]:
    """Return claim id -> "; "-joined ids of the events it reports, for the claims that report any."""
    event_of_claim: dict[str, list[str]] = {}
    for event in events:
        for claim_id in event["claim_ids"].split("; "):
            event_of_claim.setdefault(claim_id, []).append(event["event_id"])
    return {claim_id: "; ".join(ids) or None for claim_id, ids in event_of_claim.items()}


def events_per_article(events: Iterable[dict]) -> Counter:
    """Return article id -> number of events it reports."""
    return Counter(a for e in events for a in e["article_ids"].split("; "))


def with_counts(articles: pd.DataFrame, claims_per_article: Counter | pd.Series,
                events_per_article: Counter | pd.Series) -> pd.DataFrame:
    """Return a copy of (a slice of) the articles table with n_claims and n_events filled in.

    The counts are corpus-wide, so a slice gets the same values it would as part of the whole;
    a caller counting slice after slice passes them once made into Series (count_series).
    """
    articles = articles.copy()
    articles["n_claims"] = articles["article_id"].map(count_series(claims_per_article)) if len(claims_per_article) else pd.NA
    articles["n_events"] = articles["article_id"].map(count_series(events_per_article)) if len(events_per_article) else pd.NA
    ok_rows = articles["status"].eq("ok")
    articles.loc[ok_rows, ["n_claims", "n_events"]] = articles.loc[ok_rows, ["n_claims", "n_events"]].fillna(0)
    return articles


def count_series(counts: Counter | pd.Series) -> pd.Series:
    """Counts per article id as the Series with_counts maps ids through."""
    return counts if isinstance(counts, pd.Series) else pd.Series(counts, dtype="int64")


# ---------------------------------------------------------------- streaming, for the command line
SPILL_ROWS = 20_000  # rows of a table held in memory before they go to a part on disk
REPORT_BUFFER_BYTES = 32 << 20  # pickled event reports held in memory before they go to disk
RUN_ROWS = 250  # events per chunk of a place's finished run: writing the events in order holds a chunk per place
RUN_CHUNKS_HELD = 256  # chunks of the places' runs held at once while they are written; the others are read again
ARTICLE_FRAME_ROWS = SPILL_ROWS // 2  # articles (whole texts) per frame written: spilled a tenth of SPILL_ROWS at a time
REPORT_BATCH = 256  # articles whose event reports are packed together (a pickle per place per article cost 2.5%)


@dataclass
class Extracted:
    """What a streamed extraction wrote: counts for the closing line and the files."""

    articles_ok: int
    flagged: int
    claims: int
    events: int
    written: dict[str, Path]


class _Spill:
    """One table's rows, pickled to numbered parts in a folder as they accumulate, read back part by part.

    Pickled DataFrames, not parquet: a part comes back exactly as it went. With a `schema`
    each part is validated as it is spilled (coercion and checks go row by row and column
    by column, so parts validated apart equal the whole validated at once); without one,
    it is validated at the end, once what it lacks is known.
    """

    def __init__(self, folder: Path, name: str, columns: list[str], limit: int = 0, schema=None):
        self.folder, self.name, self.columns, self.limit, self.schema = folder, name, columns, limit, schema
        self.rows: list[dict] = []
        self.parts: list[Path] = []

    def _frame(self, rows: list[dict]) -> pd.DataFrame:
        return _table_part(rows, self.columns, self.schema)

    def add(self, rows: Iterable[dict]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= (self.limit or SPILL_ROWS):
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self._store(pickle.dumps(self._frame(self.rows), protocol=pickle.HIGHEST_PROTOCOL))
        self.rows = []

    def _store(self, blob: bytes) -> None:
        path = self.folder / f"{self.name}-{len(self.parts):06d}.pickle"
        path.write_bytes(blob)
        self.parts.append(path)

    def add_packed(self, blob: bytes) -> None:
        """Store a part pickled elsewhere (pack_parts, on a dask worker) as it is, after the rows before it."""
        self.flush()
        self._store(blob)

    def frames(self, join: int = 0) -> Iterator[pd.DataFrame]:
        """Yield the parts in order, small ones joined up to `join` rows (default: the row limit; at
        least one frame, empty when there were no rows); each part is deleted once read."""
        self.flush()
        if not self.parts:
            yield self._frame([])
        join = join or self.limit or SPILL_ROWS
        batch, rows = [], 0
        for path in self.parts:
            with open(path, "rb") as handle:
                batch.append(pickle.load(handle))
            path.unlink()
            rows += len(batch[-1])
            if rows >= join:
                yield batch[0] if len(batch) == 1 else pd.concat(batch, ignore_index=True)
                batch, rows = [], 0
        if batch:
            yield batch[0] if len(batch) == 1 else pd.concat(batch, ignore_index=True)


class _ReportStore:
    """Event reports grouped by place (events.place_of), pickled, and spilled to disk as they come.

    Only an index (place -> where its blobs lie) stays in memory; `places()` reads each
    place's reports back together, in the order they were added, for merging.
    """

    def __init__(self, folder: Path, limit: int = 0):
        self.folder, self.limit = folder, limit
        self.buffer: dict[str, list[bytes]] = {}
        self.size = 0
        self.index: dict[str, list[tuple[Path, int, int]]] = {}  # place -> [(file, offset, length)]
        self.files: list[Path] = []

    def add(self, blobs: dict[str, bytes]) -> None:
        """Add report_blobs(...) of the next articles."""
        for place, blob in blobs.items():
            self.buffer.setdefault(place, []).append(blob)
            self.size += len(blob)
        if self.size >= (self.limit or REPORT_BUFFER_BYTES):
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        path = self.folder / f"reports-{len(self.files):06d}.bin"
        with open(path, "wb") as handle:
            for place, blobs in self.buffer.items():
                spans = self.index.setdefault(place, [])
                for blob in blobs:
                    spans.append((path, handle.tell(), len(blob)))
                    handle.write(blob)
        self.files.append(path)
        self.buffer, self.size = {}, 0

    def places(self) -> Iterator[list[bytes]]:
        """Yield, for each place, the blobs of its reports in order; the files are deleted at the end.

        The places with the most reports come first: the merges of a place run in parallel
        on a cluster, and the longest started first keep its workers busy to the end.
        """
        self.flush()
        handles: dict[Path, object] = {}
        try:
            for place in sorted(self.index, key=lambda p: -sum(length for _, _, length in self.index[p])):
                blobs = []
                for path, offset, length in self.index.pop(place):
                    handle = handles.get(path) or handles.setdefault(path, open(path, "rb"))
                    handle.seek(offset)
                    blobs.append(handle.read(length))
                yield blobs
        finally:
            for handle in handles.values():
                handle.close()
            for path in self.files:
                path.unlink(missing_ok=True)


def report_blobs(reports: Iterable[dict]) -> dict[str, bytes]:
    """Return the event reports grouped by place (events.place_of), each group pickled:
    a fraction of the dicts' memory."""
    by_place: dict[str, list[dict]] = {}
    for report in reports:
        by_place.setdefault(place_of(report), []).append(report)
    return {place: _packed(found) for place, found in by_place.items()}


def _packed(rows: list[dict]) -> bytes:
    """Rows pickled, for spilling and for sending to and from workers.

    Not compressed: zlib (level 1) shrank them 3.6 times but cost as much as the pickling
    (6% of the streaming overhead); the other spills, whole texts among them, are not either.
    """
    return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(blob: bytes) -> list[dict]:
    return pickle.loads(blob)


def place_run(blobs: list[bytes]) -> dict[str, bytes | list[bytes]]:
    """Return one place's events, its reports (report_blobs) merged and finished on their own, in
    events.event_order: under "chunks" the validated rows as Arrow IPC streams of at most RUN_ROWS
    rows; under "keys" an Arrow IPC stream, a row per event, of what numbers them across places
    (_ORDER_KEYS: event_order's three parts) and what the other tables count (claim_ids, article_ids).

    A cluster's workers finish the places, so the process writing the tables only sorts the keys
    and copies rows into place.
    """
    found = [report for blob in blobs for report in _unpacked(blob)]
    rows = finish_events(merge_events(found))  # in event_order: merge_events sorts, finishing keeps it
    table = arrow_table(_table_part(rows, EVENT_COLUMNS, schemas.EVENTS))
    date, location, first = zip(*(event_order(r["event_date"], r["location"], r["claim_ids"].split("; ", 1)[0])
                                  for r in rows)) if rows else ((), (), ())
    keys = pa.table({"date": date, "location": location, "first": first,
                     "claim_ids": [r["claim_ids"] for r in rows], "article_ids": [r["article_ids"] for r in rows]},
                    schema=_KEYS_SCHEMA)
    return {"chunks": [_ipc(table.slice(i, RUN_ROWS)) for i in range(0, len(table), RUN_ROWS)], "keys": _ipc(keys)}


_ORDER_KEYS = [("date", "ascending"), ("location", "ascending"), ("first", "ascending")]
_KEYS_SCHEMA = pa.schema([(name, pa.string()) for name in ("date", "location", "first", "claim_ids", "article_ids")])


def _ipc(table: pa.Table) -> bytes:
    """An Arrow table (or a slice of one: only the slice is written) as IPC stream bytes; read back by _from_ipc.

    Not pickle: a pickled slice carries its whole table's buffers.
    """
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _from_ipc(blob: bytes) -> pa.Table:
    return pa.ipc.open_stream(blob).read_all()


def _table_part(rows: list[dict], columns: list[str], schema=None) -> pd.DataFrame:
    """Rows as a frame of a table's columns, validated against its schema if one is given."""
    frame = pd.DataFrame(rows, columns=columns)
    return frame if schema is None else schema.validate(frame)


def pack_parts(parts: list[dict]) -> dict:
    """Return the extract_article parts of consecutive articles in the form extract_stream stores them:
    timexes and claims as pickled validated DataFrames (the claims without their event ids),
    claim counts per article, event reports as report_blobs.

    A dask worker packs and validates its partition, so the process writing the tables only
    files bytes away, and has less to do once the events are numbered.
    """
    timexes = [t for part in parts for t in part["timexes"]]
    claims = [c for part in parts for c in part["claims"]]
    return {"articles": len(parts),
            "timexes": pickle.dumps(_table_part(timexes, schemas.TIMEX_COLUMNS, schemas.TIMEXES),
                                    protocol=pickle.HIGHEST_PROTOCOL),
            "claims": pickle.dumps(_table_part(claims, CLAIM_COLUMNS, schemas.CLAIMS), protocol=pickle.HIGHEST_PROTOCOL),
            "claims_per_article": Counter(c["article_id"] for c in claims),
            "reports": report_blobs(r for part in parts for r in part["reports"]),
            "failed": [part["failed"] for part in parts if "failed" in part]}


class _NumberedEvents:
    """The finished events of all places, numbered in events.event_order as finish_events numbers
    the events of the whole corpus, and what the other tables need from them.

    Each place is merged and finished on its own by place_run (through `map_places`: the builtin
    map, or a dask cluster's); its rows are spilled in chunks, its keys kept. One stable sort of
    all keys numbers the events: a place's run is in that order already, and only events of one
    place can tie. The claims' event ids (`claim_event_ids()`) and `events_per_article` follow
    from the keys, before a row is read back; `frames()` then yields the events table in order,
    its rows copied from the places' chunks.
    """

    def __init__(self, store: _ReportStore, staging: Path,
                 map_places: Callable[[Callable, Iterable], Iterable] = map) -> None:
        self.runs: list[list[Path]] = []  # place -> its chunk files, in order
        keys = []
        for place, run in enumerate(map_places(place_run, store.places())):
            self.runs.append([staging / f"events-run-{place:06d}-{i:06d}.arrow" for i in range(len(run["chunks"]))])
            for path, chunk in zip(self.runs[-1], run["chunks"]):
                path.write_bytes(chunk)
            keys.append(_from_ipc(run["keys"]))
        sizes = np.array([len(k) for k in keys], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)  # place -> its first row of `keys`
        self.place = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)  # row of `keys` -> its place
        keys = pa.concat_tables(keys) if keys else _KEYS_SCHEMA.empty_table()
        self.count = len(keys)
        self.order = pc.sort_indices(keys, sort_keys=_ORDER_KEYS).to_numpy().astype(np.int64)  # n - 1 -> row of `keys` of event n
        numbers = np.empty(self.count, dtype=np.int64)
        numbers[self.order] = np.arange(1, self.count + 1)
        claims = pc.split_pattern(keys["claim_ids"], "; ")
        self.reported = pc.list_flatten(claims), numbers[pc.list_parent_indices(claims).to_numpy()]  # (claim, number)
        articles = pc.value_counts(pc.list_flatten(pc.split_pattern(keys["article_ids"], "; ")))
        self.events_per_article = pd.Series(articles.field("counts").to_numpy(zero_copy_only=False), dtype="int64",
                                            index=articles.field("values").to_pylist())

    def claim_event_ids(self) -> pd.Series:
        """Return claim id -> "; "-joined ids of the events it reports, in event order (pipeline.claim_event_ids
        of the whole corpus), for the claims that report any."""
        claims, numbers = self.reported
        in_order = np.argsort(numbers, kind="stable")
        ids = pa.table({"claim_id": claims.take(in_order), "event_id": _event_id_array(numbers[in_order])})
        # grouped in one thread, a claim's ids stay in the order they came: event order
        grouped = ids.group_by("claim_id", use_threads=False).aggregate([("event_id", "list")])
        joined = pa.table({"claim_id": grouped["claim_id"], "event_ids": pc.binary_join(grouped["event_id_list"], "; ")})
        return joined.to_pandas().set_index("claim_id")["event_ids"]

    def frames(self) -> Iterator[pa.Table]:
        """Yield the events table in frames of SPILL_ROWS events, their event ids set; the chunk files are
        deleted as they are read out (and all of them at the end)."""
        runs = _RunReader(self.runs)
        consumed = np.zeros(len(self.runs), dtype=np.int64)  # place -> its rows yielded so far
        try:
            for first in range(0, self.count, SPILL_ROWS):
                rows = self.order[first:first + SPILL_ROWS]
                places = self.place[rows]
                counts = np.bincount(places, minlength=len(self.runs))
                taken = np.nonzero(counts)[0]
                pieces = [piece for place in taken.tolist() for piece in runs.take(place, int(counts[place]))]
                # the pieces hold each place's rows of this frame in run order, places one after another;
                # within the frame a place's rows come in run order too, so each row's place in the pieces is:
                piece_start = np.zeros(len(self.runs), dtype=np.int64)
                piece_start[taken] = np.concatenate([[0], np.cumsum(counts[taken])[:-1]])
                at = piece_start[places] + (rows - self.starts[places] - consumed[places])
                consumed += counts
                frame = pa.concat_tables(pieces).take(at)
                ids = _event_id_array(np.arange(first + 1, first + len(rows) + 1)).cast(frame.schema.field("event_id").type)
                yield frame.set_column(frame.schema.get_field_index("event_id"), frame.schema.field("event_id"), ids)
            if not self.count:  # the files still have the columns
                yield arrow_table(_table_part([], EVENT_COLUMNS, schemas.EVENTS))
        finally:
            runs.close()


class _RunReader:
    """The places' chunk files read back in order, a given number of rows at a time; at most
    RUN_CHUNKS_HELD chunks are held (the least recently used is dropped and read again if need be)."""

    def __init__(self, runs: list[list[Path]]) -> None:
        self.runs = runs
        self.at = [(0, 0)] * len(runs)  # place -> (its chunk to read next, the row in it)
        self.held: dict[tuple[int, int], pa.Table] = {}  # (place, chunk) -> rows; dicts keep insertion order

    def take(self, place: int, count: int) -> list[pa.Table]:
        """Return the next `count` rows of the place's run, as slices of its chunks."""
        pieces = []
        chunk, row = self.at[place]
        while count:
            table = self._chunk(place, chunk)
            n = min(count, len(table) - row)
            pieces.append(table.slice(row, n))
            count -= n
            row += n
            if row == len(table):  # read out: never needed again
                del self.held[place, chunk]
                self.runs[place][chunk].unlink()
                chunk, row = chunk + 1, 0
        self.at[place] = chunk, row
        return pieces

    def _chunk(self, place: int, chunk: int) -> pa.Table:
        table = self.held.pop((place, chunk), None)
        if table is None:
            table = _from_ipc(self.runs[place][chunk].read_bytes())
            if len(self.held) >= RUN_CHUNKS_HELD:
                del self.held[next(iter(self.held))]
        self.held[place, chunk] = table  # now the most recently used
        return table

    def close(self) -> None:
        self.held.clear()
        for paths in self.runs:
            for path in paths:
                path.unlink(missing_ok=True)


def _event_id_array(numbers: np.ndarray) -> pa.Array:
    """events.event_id of each number, as an Arrow string array: 'E' and the number, zero-padded to five digits."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), width=5, padding="0")
    return pc.binary_join_element_wise("E", digits, "")


def extract_stream(rows: Iterable[dict], out: str | Path,
                   parts_of: Callable[[Iterator[dict]], Iterable[dict]] | None = None,
                   progress: bool = False, warn: Callable[[dict], None] | None = None,
                   map_places: Callable[[Callable, Iterable], Iterable] = map) -> Extracted:
    """Extract article rows as they are read (corpus.iter_articles) and write the four tables to `out`.

    The same tables as `extract(load_corpus(paths)).save(out)`, in about flat memory: article
    texts, timexes and claims go to parts on disk as they come and are written out part by
    part; event reports go to disk by place, are merged and finished one place at a time and
    numbered by one sort of their keys. What stays in memory grows slowly with the corpus: the
    place index, counts per article, the events' sort keys with their claim and article ids
    (~100 bytes an event) and, while the claims are written, their event ids. `parts_of` maps the ok article records, in
    order, to their extract_article parts in the same order, or to pack_parts of consecutive
    runs of them (default: in this process; analysis.distributed passes a dask cluster's
    packed partitions); `map_places` runs place_run over the places (analysis.distributed
    passes a cluster's map). `warn(row)` is called for each row with a problem, as it is read.
    """
    from tqdm import tqdm

    release_arrow_memory()  # this process writes the tables, whatever engine extracts
    parts_of = parts_of or (lambda records: map(extract_article_or_flag, records))
    state = {"ok": 0, "flagged": 0, "claims": 0, "events": 0}
    claims_per_article: Counter = Counter()
    failures: dict[str, str] = {}  # article id -> why its extraction failed

    def failed(found: list[dict]) -> None:
        for failure in found:
            failures[failure["article_id"]] = failure["problem"]
            state["flagged"] += 1
            state["ok"] -= 1
            if warn is not None:
                warn({**failure, "status": "skipped"})
    tables: dict[str, _Spill] = {}
    result: dict = {}

    def ok_records(spill: _Spill) -> Iterator[dict]:
        seen: set[str] = set()
        for row in rows:
            row = {c: row.get(c) for c in ARTICLE_COLUMNS}
            if row["status"] == "ok" and row["article_id"] in seen:  # as corpus._flag_duplicates marks them
                row.update(status="skipped", problem="duplicate id")
            seen.add(row["article_id"])
            if row["problem"] is not None:
                state["flagged"] += 1
                if warn is not None:
                    warn(row)
            spill.add([row])
            if row["status"] == "ok":
                state["ok"] += 1
                yield {k: (None if _missing(v) else v) for k, v in row.items()}

    def prepare(staging: Path, start: Callable[[str], None]) -> None:
        tables.update(articles=_Spill(staging, "articles", ARTICLE_COLUMNS, max(SPILL_ROWS // 10, 1)),  # whole texts
                      timexes=_Spill(staging, "timexes", schemas.TIMEX_COLUMNS, schema=schemas.TIMEXES),
                      claims=_Spill(staging, "claims", CLAIM_COLUMNS, schema=schemas.CLAIMS))
        reports = _ReportStore(staging)
        pending: list[dict] = []  # event reports of the last articles, grouped and packed REPORT_BATCH articles at a time
        with tqdm(desc="articles", unit="art", disable=not progress) as bar:
            for n, part in enumerate(parts_of(ok_records(tables["articles"])), start=1):
                if "claims_per_article" in part:  # pack_parts of a partition
                    failed(part.get("failed", []))
                    tables["timexes"].add_packed(part["timexes"])
                    tables["claims"].add_packed(part["claims"])
                    claims_per_article.update(part["claims_per_article"])
                    reports.add(part["reports"])
                    bar.update(part["articles"])
                    continue
                if "failed" in part:
                    failed([part["failed"]])
                tables["timexes"].add(part["timexes"])
                tables["claims"].add(part["claims"])
                claims_per_article.update(c["article_id"] for c in part["claims"])
                pending += part["reports"]
                if n % REPORT_BATCH == 0:
                    reports.add(report_blobs(pending))
                    pending = []
                bar.update()
        reports.add(report_blobs(pending))
        start("timexes.parquet")  # needs nothing from the events: written while they are merged and numbered
        events = result["events"] = _NumberedEvents(reports, staging, map_places)
        state["events"], state["claims"] = events.count, sum(claims_per_article.values())
        # the other three tables are written once prepare returns, all at once

    def articles() -> Iterator[pd.DataFrame]:
        # made into Series once: with_counts would make them again for every frame
        claims_counts, events_counts = count_series(claims_per_article), result["events"].events_per_article
        # read back in frames of several parts: counting and validating cost about as much for 2,000 rows as for 10,000
        for frame in tables["articles"].frames(ARTICLE_FRAME_ROWS):
            counted = with_counts(with_failures(frame, failures), claims_counts, events_counts)
            yield schemas.ARTICLES.validate(counted[ARTICLE_COLUMNS])

    def timexes() -> Iterator[pd.DataFrame]:
        return tables["timexes"].frames()  # validated as spilled

    def claims() -> Iterator[pd.DataFrame]:
        # validated as spilled, but for the event ids: their column is validated when they are known
        event_ids = schemas.CLAIMS.select_columns(["event_ids"])
        ids_of = result["events"].claim_event_ids()
        for frame in tables["claims"].frames():
            ids = pd.DataFrame({"event_ids": frame["claim_id"].map(ids_of).array})
            frame["event_ids"] = event_ids.validate(ids)["event_ids"].array
            yield frame

    chunked = {"articles": articles, "timexes": timexes, "claims": claims, "events": lambda: result["events"].frames()}
    writers = _table_writers(lambda name: chunked[name]())
    written = write_atomically(out, writers, prepare)
    return Extracted(state["ok"], state["flagged"], state["claims"], state["events"], written)
