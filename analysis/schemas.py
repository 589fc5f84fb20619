"""Table schemas (pandera): the contract's column names, types and allowed values."""
from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.engines import pandas_engine

from .claims import CLAIM_COLUMNS
from .corpus import ARTICLE_COLUMNS
from .events import EVENT_COLUMNS

TIMEX_COLUMNS = ["article_id", "sentence_id", "start", "end", "text", "type", "value", "resolved", "precision"]

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class _String(pandas_engine.STRING):
    """pandera's "string" dtype, its check answered with one True when every element passes.

    pandera 0.35 on pandas 3 answers a column already of this dtype element by element, and
    then builds a failure-case frame and a message with its repr although none failed: ~1 ms
    for each string column at each validate call, whatever the rows (25 ms of each events frame).
    Should any element fail, pandera gets the elements, as before, and reports them.
    """

    def check(self, pandera_dtype, data_container=None):
        passed = super().check(pandera_dtype, data_container)
        return True if isinstance(passed, np.ndarray) and passed.all() else passed


STRING = _String(storage=pandas_engine.Engine.dtype("string").storage)
_str = dict(dtype=STRING, nullable=True)
_int = dict(dtype="Int64", nullable=True)
_float = dict(dtype="Float64", nullable=True)
_bool = dict(dtype="boolean", nullable=True)


def _schema(columns: list[str], typed: dict[str, pa.Column], name: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({c: typed.get(c, pa.Column(**_str)) for c in columns}, strict=True, ordered=True,
                              coerce=True, name=name)


ARTICLES = _schema(ARTICLE_COLUMNS, {
    "status": pa.Column(dtype=STRING, checks=pa.Check.isin(["ok", "skipped"])),
    "n_claims": pa.Column(**_int), "n_events": pa.Column(**_int),
    "anchor_date": pa.Column(**_str, checks=pa.Check.str_matches(ISO_DATE)),
    "dateline_date": pa.Column(**_str, checks=pa.Check.str_matches(ISO_DATE)),
}, "articles")

TIMEXES = _schema(TIMEX_COLUMNS, {
    "sentence_id": pa.Column(**_int), "start": pa.Column(dtype="Int64"), "end": pa.Column(dtype="Int64"),
    "type": pa.Column(dtype=STRING, checks=pa.Check.isin(["DATE", "TIME", "DURATION", "SET"])),
    "precision": pa.Column(**_str, checks=pa.Check.isin(["day", "week", "month", "quarter", "year", "decade", "none"])),
}, "timexes")

CLAIMS = _schema(CLAIM_COLUMNS, {
    "sentence_id": pa.Column(**_int), "party_to_conflict": pa.Column(**_bool), "hedged": pa.Column(dtype="boolean"),
    "attribution": pa.Column(dtype=STRING, checks=pa.Check.isin(["direct", "reported", "unattributed"])),
    "claimant_type": pa.Column(dtype=STRING, checks=pa.Check.isin(
        ["media", "government", "military", "armed_group", "monitor", "official", "ngo", "unknown"])),
    "statement_date": pa.Column(**_str, checks=pa.Check.str_matches(ISO_DATE)),
    "content_start": pa.Column(**_int), "content_end": pa.Column(**_int),
}, "claims")

EVENTS = _schema(EVENT_COLUMNS, {
    "event_date": pa.Column(**_str, checks=pa.Check.str_matches(ISO_DATE)),
    "date_start": pa.Column(**_str, checks=pa.Check.str_matches(ISO_DATE)),
    "date_end": pa.Column(**_str, checks=pa.Check.str_matches(ISO_DATE)),
    "time_precision": pa.Column(**_int, checks=pa.Check.isin([1, 2, 3])),
    "event_type": pa.Column(dtype=STRING, checks=pa.Check.isin(
        ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
         "Strategic developments"])),
    "inter1": pa.Column(**_int), "inter2": pa.Column(**_int),
    "latitude": pa.Column(**_float, checks=pa.Check.in_range(-90, 90)),
    "longitude": pa.Column(**_float, checks=pa.Check.in_range(-180, 180)),
    "geo_precision": pa.Column(**_int, checks=pa.Check.isin([1, 2, 3])),
    "fatalities": pa.Column(**_int, checks=pa.Check.ge(0)),
    "control_share": pa.Column(**_float, checks=pa.Check.in_range(0, 1)),
    "n_sources": pa.Column(dtype="Int64"), "n_independent_sources": pa.Column(dtype="Int64"),
    "status": pa.Column(dtype=STRING, checks=pa.Check.isin(["claimed", "reported", "corroborated", "contested"])),
}, "events")
