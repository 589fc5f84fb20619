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
        acled = name == "events"
        writers[f"{name}.parquet"] = lambda p, n=name, a=acled: _write_chunks(
            frames_of(n), p, p.with_suffix(".csv"), p.parent / "events_acled.csv" if a else None)
        writers[f"{name}.csv"] = lambda p: None  # written with the .parquet, from the same frames
    writers["events_acled.csv"] = lambda p: None
    return writers


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


def _write_chunks(frames: Iterable[pd.DataFrame], parquet: Path, csv: Path, acled: Path | None = None) -> None:
    """Write validated frames one after another as one parquet file and one CSV (and, for events,
    the ACLED columns as a second CSV), without the whole table ever being converted at once.

    Each frame becomes one Arrow table, which both files are written from: pyarrow's CSV
    writer is C++ (a tenth of the time of DataFrame.to_csv). It quotes every string and
    writes booleans as true/false; pandas, R and spreadsheets read both back.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    with contextlib.ExitStack() as stack:
        schema = writer = csv_writer = acled_writer = None
        for frame in frames:
            table = pa.Table.from_pandas(frame, preserve_index=False, schema=schema)
            if writer is None:
                schema = table.schema
                writer = stack.enter_context(pq.ParquetWriter(parquet, schema))
                csv_writer = stack.enter_context(pa_csv.CSVWriter(csv, schema))
                if acled is not None:
                    acled_writer = stack.enter_context(pa_csv.CSVWriter(acled, table.select(ACLED_COLUMNS).schema))
            writer.write_table(table)
            csv_writer.write_table(table)
            if acled_writer is not None:
                acled_writer.write_table(table.select(ACLED_COLUMNS))
