"""The four tables of a corpus (Dataset) and how they are written: atomically, as parquet with CSV beside.

Reading and writing the tables needs none of the extractor, so a report on cached tables
imports this module and not the pipeline.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .events import ACLED_COLUMNS


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
        return write_atomically(folder, _table_writers(lambda name: [getattr(self, name)]))


def _table_writers(frames_of: Callable[[str], Iterable[pd.DataFrame]]) -> dict[str, Callable[[Path], None]]:
    """Return write_atomically's writers for the tables: each table's validated frames (`frames_of(name)`)
    written once, as its .parquet with the .csv beside it (and events_acled.csv beside events.csv)."""
    writers: dict[str, Callable[[Path], None]] = {}
    for name in TABLES:
        writers[f"{name}.parquet"] = lambda p, n=name: _write_chunks(frames_of(n), table_writer(p))
        writers[f"{name}.csv"] = lambda p: None  # written with the .parquet, from the same frames
    writers["events_acled.csv"] = lambda p: None
    return writers


def table_writer(parquet: Path) -> "TableWriter":
    """The TableWriter of a table's .parquet file (named for the table): its .csv beside it, and
    events_acled.csv beside events.csv."""
    acled = parquet.parent / "events_acled.csv" if parquet.stem == "events" else None
    return TableWriter(parquet, parquet.with_suffix(".csv"), acled)


WRITER_THREADS = 2  # files written at once: pyarrow encodes and writes without the GIL, so two tables overlap


def write_atomically(folder: str | Path, writers: dict[str, Callable[[Path], None]],
                     prepare: Callable[[Path, Callable[[str], None]], None] | None = None) -> dict[str, Path]:
    """Call each writer on a path in a hidden staging folder inside `folder`, then rename the files into place.

    `prepare(staging, start)` runs first, in the same staging folder (the streaming path spills
    its intermediate parts there), which is removed at the end, whatever happens; it may
    call `start(filename)` to have that file written now, beside what it still does.
    Writers run WRITER_THREADS at a time. Returns {file name: final path}.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".partial-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder))
    pool = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="dateline-writer")
    started: dict[str, Future] = {}

    def start(filename: str) -> None:
        started[filename] = pool.submit(writers[filename], staging / filename)

    try:
        try:
            if prepare is not None:
                prepare(staging, start)
            for filename in writers:
                if filename not in started:
                    start(filename)
            for done in started.values():
                done.result()  # the first failure is raised here, and the writers not yet started are cancelled
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # no writer outlives the staging folder
        written = {}
        for filename in writers:
            os.chmod(staging / filename, 0o644)  # readable by the other tools and users of the tables
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


def _write_chunks(frames: Iterable[pd.DataFrame], writer: "TableWriter") -> None:
    """Write validated frames one after another with `writer`, then close it: the whole table
    is never converted at once.

    Each frame is written in a thread of its own while the next one is made: pyarrow converts
    and writes without the GIL, beside the making (reading, counting, validating) in Python.
    """
    with writer, ThreadPoolExecutor(1, thread_name_prefix="dateline-frame-writer") as behind:
        written = None
        for frame in frames:
            if written is not None:
                written.result()  # one frame in flight: memory stays that of two frames
            written = behind.submit(writer.write, frame)
        if written is not None:
            written.result()


def arrow_table(frame: pd.DataFrame, schema=None) -> "pa.Table":
    """A validated frame as the Arrow table its files are written from (to `schema`, if given)."""
    import pyarrow as pa

    # nthreads=1: the columns are converted in this thread, without a thread pool started per frame
    # (a validated frame's strings are Arrow arrays already)
    return pa.Table.from_pandas(frame, preserve_index=False, schema=schema, nthreads=1)


class TableWriter:
    """A table's parquet file and CSV (and, for events, the ACLED columns as a second CSV), written
    frame by frame (validated frames) and closed on leaving the `with` block.

    Each frame becomes one Arrow table, which both files are written from: pyarrow's CSV
    writer is C++ (a tenth of the time of DataFrame.to_csv). It quotes every string and
    writes booleans as true/false; pandas, R and spreadsheets read both back. The files are
    written at once, a thread each (pyarrow encodes without the GIL); a frame is written
    to all of them before the next one.
    """

    def __init__(self, parquet: Path, csv: Path, acled: Path | None = None):
        self.paths = parquet, csv, acled
        self.stack = contextlib.ExitStack()
        self.schema = self.writers = None
        self.threads = self.stack.enter_context(
            ThreadPoolExecutor(3 if acled else 2, thread_name_prefix="dateline-file-writer"))

    def write(self, frame: "pd.DataFrame | pa.Table") -> None:
        """Write a validated frame, or the Arrow table made of one (as the frames' own conversion makes it)."""
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        table = frame if isinstance(frame, pa.Table) else arrow_table(frame, self.schema)
        if self.writers is None:
            parquet, csv, acled = self.paths
            self.schema = table.schema
            self.writers = [(self.stack.enter_context(pq.ParquetWriter(parquet, self.schema)), None),
                            (self.stack.enter_context(pa_csv.CSVWriter(csv, self.schema)), None)]
            if acled is not None:
                self.writers.append((self.stack.enter_context(
                    pa_csv.CSVWriter(acled, table.select(ACLED_COLUMNS).schema)), ACLED_COLUMNS))
        written = [self.threads.submit(writer.write_table, table if columns is None else table.select(columns))
                   for writer, columns in self.writers]
        for done in written:
            done.result()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.stack.close()
