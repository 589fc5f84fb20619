"""The dask engine: the same per-article extraction on a dask.distributed cluster.

Articles are extracted in partitions on the workers, which also pack each partition into the
bytes the stream stores and, at the end, merge and finish the events of each place; the
process writing the tables numbers the events and writes, exactly as the local engine does,
so both engines produce the same tables. Partitions are cut from the lazy
stream of articles and only a few are in flight at a time, so the corpus is never in
memory whole.
"""
from __future__ import annotations

import itertools
import os
import pickle
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from .dataset import Dataset
from .pipeline import Extracted, article_records, assemble, extract_article_or_flag, extract_stream, pack_parts

PARTITION_SIZE = 1024  # articles per task: a task packs its tables with a pandera check of fixed cost (~24 ms) and a
# DataFrame each; 30k articles on 2 workers: 256 -> 1024 took 51.3 -> 48.8 s, the workers 86.0 -> 81.4 s CPU (64: ~10% slower still)
IN_FLIGHT_PER_WORKER = 4  # partitions submitted ahead per worker: enough to keep it busy, few enough to bound memory
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def _extract_partition(records: bytes) -> list[dict]:
    return [extract_article_or_flag(r) for r in pickle.loads(records)]


def _extract_packed(records: bytes) -> dict:
    return pack_parts([extract_article_or_flag(r) for r in pickle.loads(records)])


def _pickled(records: list[dict]) -> bytes:
    """A partition's records as one bytes object, which dask sends as it is: it walks a list of dicts
    argument dict by dict, looking for futures (0.5 s of the driver's time on 10k articles)."""
    return pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)


@contextmanager
def _client(scheduler: str | None):
    """Yield a dask Client on `scheduler`, else on a LocalCluster of one single-threaded worker per core."""
    import dask
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # Housekeeping for dashboards and diagnostics this cluster does not have, set as the scheduler
        # and workers start: the workers' statistical profiler (every 10 ms) off; event-loop health
        # ticks (20 ms), system samples (500 ms) and the workers' memory checks (100 ms) rarer.
        # Together they cost the three processes ~9% of a core when idle, and shared the cores with the work.
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def cluster_parts(client, records: Iterable[dict], partition_size: int = PARTITION_SIZE,
                  in_flight: int | None = None, packed: bool = False) -> Iterator[dict]:
    """Yield extract_article_or_flag(record) for each record, in order, computed on the cluster of `client`
    (with `packed`, pipeline.pack_parts of each partition instead, packed on the worker).

    Records are cut into partitions as they are read; at most `in_flight` partitions
    (default IN_FLIGHT_PER_WORKER per worker) are submitted and not yet collected.
    """
    records = iter(records)
    chunks = map(_pickled, iter(lambda: list(itertools.islice(records, partition_size)), []))
    task = _extract_packed if packed else _extract_partition
    for result in cluster_map(client, task, chunks, in_flight):
        if packed:
            yield result
        else:
            yield from result


def cluster_map(client, function: Callable, items: Iterable, in_flight: int | None = None) -> Iterator:
    """Yield function(item) for each item, in order, computed on the cluster of `client` with at most
    `in_flight` (default IN_FLIGHT_PER_WORKER per worker) items submitted and not yet collected."""
    if in_flight is None:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        in_flight = IN_FLIGHT_PER_WORKER * workers
    pending: deque = deque()
    for item in items:
        pending.append(client.submit(function, item, pure=False))
        while len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def extract_dask(articles: pd.DataFrame, scheduler: str | None = None, partition_size: int = PARTITION_SIZE,
                 progress: bool = False) -> Dataset:
    """Return the Dataset of `articles`, extracted on a dask cluster (a LocalCluster if no `scheduler`)."""
    from tqdm import tqdm

    records = article_records(articles[articles["status"].eq("ok")])
    with _client(scheduler) as client:
        parts = list(tqdm(cluster_parts(client, iter(records), partition_size), total=len(records),
                          desc="articles", unit="art", disable=not progress))
    return assemble(articles, parts)


def extract_stream_dask(rows: Iterable[dict], out: str | Path, scheduler: str | None = None,
                        partition_size: int = PARTITION_SIZE, progress: bool = False,
                        warn: Callable[[dict], None] | None = None) -> Extracted:
    """extract_stream (the same tables, written to `out`) with the articles extracted on a dask cluster."""
    with _client(scheduler) as client:
        # the workers pack their partitions and merge the places' events: this process only files bytes away
        return extract_stream(rows, out, lambda records: cluster_parts(client, records, partition_size, packed=True),
                              progress=progress, warn=warn,
                              map_places=lambda function, places: cluster_map(client, function, places))
