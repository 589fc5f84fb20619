"""Rule-based TimeML temporal tagger: finds TIMEX3 expressions in text and anchors them.

`tag_timexes(text, anchor)` returns one dict per temporal expression, in text order, with
character offsets, TIMEX3 `type` and `value`, the `resolved` calendar date or period and
its `precision` (see SPEC.md, "Dates: the anchor" and the `timexes` table).  Extents
follow TempEval-3: leading prepositions stay outside ("On Nov. 9" -> "Nov. 9"), modifiers
such as "late", "about", "the past" stay inside.

How it works, one module a step: `analysis.timex_patterns` finds candidate expressions
(the longest wins where they overlap); `analysis.timex_handlers` normalises each, in text
order, or rejects it (model designations, impossible dates); `analysis.timex_anchoring`
decides which day, month or year a relative or undated expression points at; calendar
arithmetic lives in `analysis.timex_rules`.
"""
from __future__ import annotations

import datetime as dt
import re

from . import timex_rules as R
from .timex_anchoring import Context, anchor_date
from .timex_handlers import HANDLERS
from .timex_patterns import candidates

# Kinds whose date is written out: anaphora ("a day earlier") counts from these.
_EXPLICIT = {"md", "dm", "iso", "mdy", "wd", "fest", "rd", "clkmd"}


def _handled(ctx: Context, kind: str, m: re.Match):
    """Return the handler's (type, value, ...) for a match, None when it rejects it or fails."""
    try:
        res = HANDLERS[kind](ctx, m)
    except (ValueError, OverflowError, KeyError, IndexError, TypeError, AttributeError):
        return None  # a malformed match is skipped, never fatal
    return res if res and res[1] else None


def tag_timexes(text: str, anchor: "dt.date | str | None") -> list[dict]:
    """Return the temporal expressions in `text`, in order, as dicts with start, end, text, type, value,
    resolved and precision; e.g. tag_timexes("On Nov. 9, IS attacked.", "2017-11-19") ==
    [{'start': 3, 'end': 9, 'text': 'Nov. 9', 'type': 'DATE', 'value': '2017-11-09',
      'resolved': '2017-11-09', 'precision': 'day'}]."""
    if not isinstance(text, str) or not text:
        return []
    ctx = Context(text, anchor_date(anchor))
    out = []
    for start, end, kind, m, inner in candidates(text):
        res = _handled(ctx, kind, m)
        if not res and inner:
            # the longest reading was rejected: try the shorter matches inside it, longest first
            for start, end, kind, m in inner:
                res = _handled(ctx, kind, m)
                if res:
                    break
        if not res:
            continue
        type_, value = res[0], res[1]
        if len(res) > 2 and res[2] is not None:
            start = res[2]
        if len(res) > 3:
            end = res[3]
        if end <= start:
            continue
        resolved, precision = R.resolution(value, type_, ctx.anchor)
        t = {"start": start, "end": end, "text": text[start:end], "type": type_, "value": value,
             "resolved": resolved, "precision": precision, "_explicit": kind in _EXPLICIT}
        ctx.done.append(t)
        out.append(t)
    for t in out:
        del t["_explicit"]
    return out


def resolve_timex(text: str, anchor: "dt.date | str | None") -> dict | None:
    """Return the normalised timex when the whole of `text` is one temporal expression, else None;
    e.g. resolve_timex("last month", "2017-11-19")["value"] == "2017-10"."""
    found = tag_timexes(text, anchor)
    if len(found) == 1 and found[0]["start"] == 0 and found[0]["end"] == len(text.rstrip()):
        return found[0]
    return None
