"""Normalisation for the temporal tagger: one handler per kind of expression, match -> TIMEX3 value.

Each `_h_<kind>(ctx, match)` returns `(type, value)`, optionally followed by a corrected start
and end offset, or None to reject the match ("Tu-22M3", "$5 million a year", "the fall of
Raqqa"); e.g. `_h_ago` turns "two days ago" in a 2017-11-19 text into ('DATE', '2017-11-17').
`HANDLERS` maps each kind to its handler.  Calendar arithmetic is in `analysis.timex_rules`,
the choice of year and weekday in `analysis.timex_anchoring`.
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil.easter import easter

from . import timex_rules as R
from .timex_anchoring import (capitalised, clock_suffix, day_value, month_number, month_value, near_date, shifted,
                              weekday_value, year_of)
from .timex_patterns import FULL_MONTH, PATTERNS, WEEKDAY

_MONEY_BEFORE = re.compile(r"(?:\$|€|£|\d|million|billion|percent|%|once|twice|thrice|times|cents?|dollars?|barrels?|tons?)\s*$", re.I)
_COUNT_AFTER = re.compile(r"\s*(?:%|percent|per\s*cent|pct|people|persons|troops|soldiers|civilians|fighters|militants|men|women|children"
                          r"|km|kilomet|miles|meters|metres|feet|tons|tonnes|rounds|dead|killed|wounded|casualties|units|homes|families"
                          r"|bombers|aircraft|planes|jets|tanks|vehicles|rockets|missiles|shells|\d)", re.I)
# Regexes the handlers run on most matches, compiled once.
_LEADING_DIGITS = re.compile(r"\d+")
_FULL_MONTH = re.compile(FULL_MONTH, re.I)
_NUMBER_SIGN_BEFORE = re.compile(r"(?:[$#€£]|No\.?|,)\s*$")  # "$2017", "No. 1990": not a year
_BARE_MONTH_OK = re.compile(r"(?:\b(?:in|since|until|till|by|from|through|to|during|of|last|next|this|early|late|mid|before|after|on|end|and|or)\s*|-)$", re.I)


# A lowercase word after "a second" that makes it the ordinal ("a second group"), not the unit.
_ORDINAL_NOUN = re.compile(r"\s+(?!(?:of|or|and|to|in|on|at|for|ago|later|earlier|before|after|longer|more|each|per|when|while|as)\b)[a-z]{3,}")
# A quote mark or an opening parenthesis right before: the start of a quoted title.
_QUOTE_BEFORE = re.compile(r"(?:[\"“‘]|''|``|')\s*$")


def _is_title(ctx, m, unit_group: str) -> bool:
    """Return True when a matched phrase is a quoted title in title case ("This Week", ''60 Minutes'')."""
    word = m.group(unit_group)
    return bool(word[:1].isupper() and _QUOTE_BEFORE.search(ctx.text, max(0, m.start() - 3), m.start()))


# ---------------------------------------------------------------- handlers
# Each returns (type, value) or None to reject; some may adjust the extent via "_span".

def _h_md(ctx, m):
    mon, day = m.group("mon"), m.group("day")
    if not capitalised(mon):
        return None
    wd = m.groupdict().get("wd")
    v = day_value(ctx, month_number(mon), int(_LEADING_DIGITS.match(day).group()), year_of(m.group("yr")), m.start(), m.end(), wd)
    return ("DATE", v) if v else None


_h_dm = _h_md


def _h_my(ctx, m):
    mon = m.group("mon")
    if not capitalised(mon) or mon.endswith("."):
        return None
    if not _FULL_MONTH.fullmatch(mon) and not (m.group("yr") or m.group("syr")):
        return None
    # "May" and "March" are also a verb and a noun: alone, they need a date-like neighbour.
    if (mon.lower() in ("may", "march") and not (m.group("yr") or m.group("syr")) and not m.group("mod") and not m.group("rel")
            and not _BARE_MONTH_OK.search(ctx.text[max(0, m.start() - 12):m.start()])
            and not (re.search(r"\bthe\s+$", ctx.text[max(0, m.start() - 5):m.start()], re.I)
                     and re.match(r"\s+[a-z]{3,}", ctx.text[m.end():m.end() + 12]))):
        return None
    year = year_of(m.group("yr") or m.group("syr"))
    if m.group("yrel") and ctx.anchor:  # "October this year", "March last year"
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m.group("yrel").lower()]
    v = month_value(ctx, month_number(mon), year, m.group("rel"), m.start(), m.end())
    return ("DATE", v) if v else None


def _h_weekof(ctx, m):
    """'the week of March 6': the ISO week holding that day."""
    v = _h_md(ctx, m)
    return ("DATE", R.format_at(dt.date.fromisoformat(v[1]), "W")) if v and not v[1].startswith("X") else v


def _h_iso(ctx, m):
    d = R.safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return ("DATE", d.isoformat()) if d else None


def _h_mdy(ctx, m):
    y = int(m.group("y"))
    y = y + (1900 if y >= 50 else 2000) if y < 100 else y
    d = R.safe_date(y, int(m.group("m")), int(m.group("d")))
    return ("DATE", d.isoformat()) if d else None


def _h_y(ctx, m):
    text = ctx.text
    if m.group("mod") is None and m.group("fy") is None:
        if _COUNT_AFTER.match(text, m.end()):
            return None
        prev = text[max(0, m.start() - 3):m.start()]
        if _NUMBER_SIGN_BEFORE.search(prev):
            return None
    return ("DATE", m.group("yr"))


def _h_dec(ctx, m):
    d = m.group("dec").lstrip("'’")
    whole = m.group(0).lower()
    if len(d) == 2:
        if not (whole.startswith("the") or m.group("dec")[0] in "'’" or m.group("mod")):
            return None  # bare "80s" is more often ages or temperatures
        d = "19" + d
    return ("DATE", d[:3])


def _h_cent(ctx, m):
    if m.group("n"):
        n = int(m.group("n"))
        return ("DATE", f"{n - 1:02d}") if 0 < n <= 21 else None
    if ctx.anchor is None:
        return ("DATE", "XX")
    rel = m.group("rel").lower().split()[-1]
    c = ctx.anchor.year // 100 + {"this": 0, "last": -1, "past": -1, "next": 1}[rel]
    return ("DATE", f"{c:02d}")


def _remember_quarter(ctx, value, pos):
    mm = re.fullmatch(r"(\d{4})-Q([1-4])", value or "")
    if mm and ctx.anchor and (int(mm.group(1)), int(mm.group(2))) > (ctx.anchor.year, R.quarter_of(ctx.anchor)):
        return  # a quarter still ahead ("through the third quarter of 1990") is not the one reported on
    if mm:
        ctx.last_quarter = (int(mm.group(1)), int(mm.group(2)), pos)


def _quarter_value(ctx, q: int, year: int | None, rel: str | None) -> str:
    a = ctx.anchor
    if year is None:
        if a is None:
            return f"XXXX-Q{q}"
        year = a.year + {"this": 0, "last": -1, "next": 1}.get((rel or "").lower(), 0)
        if not rel and q > R.quarter_of(a):
            year -= 1
    return f"{year:04d}-Q{q}"


def _h_q(ctx, m):
    q = R.ORDINALS[m.group("qord").lower()]
    year = year_of(m.group("qyr") or m.group("qyr2"))
    v = _quarter_value(ctx, q, year, m.group("qrel") or m.group("qrel2"))
    if m.group("qago") and v[:4].isdigit():
        return ("DATE", f"{int(v[:4]) - 1:04d}{v[4:]}")  # "the year-earlier third quarter"
    _remember_quarter(ctx, v, m.end())
    return ("DATE", v)


def _recent_quarter(ctx, pos):
    """Return (year, quarter) of the quarter the text last named nearby, else the last completed one."""
    if ctx.last_quarter and pos - ctx.last_quarter[2] < 2500:
        return ctx.last_quarter[:2]
    if ctx.anchor is None:
        return None
    d = R.shift(ctx.anchor, "Q", -1)
    return (d.year, R.quarter_of(d)) if d else None


def _h_qref(ctx, m):
    ref = (m.group("ref") or m.group("ref2") or "").lower()
    if (m.group("ref2") or "").lower() == "latest" and not ctx.last_quarter:
        return None  # "the latest period" is only a quarter in an earnings report
    if ref in ("latest", "most recent", "recent") and ctx.anchor:
        d = R.shift(ctx.anchor, "Q", -1)  # the latest quarter reported on is the last one closed
        yq = (d.year, R.quarter_of(d)) if d else None
    else:
        yq = _recent_quarter(ctx, m.start())
    if yq is None:
        return ("DATE", "XXXX-QX")
    y, q = yq
    if ref.startswith("year-") or m.group("ago") or m.group("ly") or m.group("ly2"):
        y -= 1
    return ("DATE", f"{y:04d}-Q{q}")


def _h_yq(ctx, m):
    """'the 1988 quarter' is the quarter last named, in that year; without one, the year itself."""
    yq = _recent_quarter(ctx, m.start()) if ctx.last_quarter else None
    return ("DATE", f"{m.group('yr')}-Q{yq[1]}" if yq else m.group("yr"))


def _h_qcode(ctx, m):
    if not m.group("q")[0].isupper():
        return None
    q = int(m.group("q")[1])
    v = _quarter_value(ctx, q, year_of(m.group("qyr")), None)
    _remember_quarter(ctx, v, m.end())
    return ("DATE", v)


def _h_half(ctx, m):
    h = 1 if m.group("h").lower() == "first" else 2  # "the last half" is the second
    if m.group("yr"):
        return ("DATE", f"{m.group('yr')}-H{h}")
    if ctx.anchor is None:
        return ("DATE", f"XXXX-H{h}")
    y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}.get((m.group("rel") or "").lower(), 0)
    return ("DATE", f"{y:04d}-H{h}")


def _h_season(ctx, m):
    s = R.SEASONS[m.group("s").lower()]
    rel = (m.group("rel") or "").lower()
    if m.group("yr"):
        return ("DATE", f"{year_of(m.group('yr')):04d}-{s}")
    after = ctx.text[m.end():m.end() + 4].lower()
    if not rel and not m.group("mod"):
        if s == "FA" or not _BARE_MONTH_OK.search(ctx.text[max(0, m.start() - 8):m.start()]):
            return None
    if s == "FA" and (rel in ("", "the") or after.startswith(" of")):
        return None  # "the fall of Raqqa" is an event, not a season
    if ctx.anchor is None:
        return ("DATE", f"XXXX-{s}")
    a = ctx.anchor
    started = R.SEASON_START[s] <= a.month
    if rel == "next":
        y = a.year + (1 if started else 0)
    elif rel in ("last", "this past"):
        ended = R.SEASON_START[s] + 3 <= a.month
        y = a.year if ended else a.year - 1
    else:
        y = a.year if started or rel == "this" else a.year - 1
    return ("DATE", f"{y:04d}-{s}")


def _h_wd(ctx, m):
    wd_word = m.group("wd")
    if not capitalised(wd_word):
        return None
    wd = R.WEEKDAYS[wd_word.lower()[:3]]
    pod = m.group("pod")
    if m.group("pl"):
        return ("SET", f"XXXX-WXX-{wd + 1}" + (f"T{R.PARTS_OF_DAY[pod.lower()]}" if pod else ""))
    rel = m.group("rel")
    v = weekday_value(ctx, wd, rel if rel and rel.lower() not in ("early", "late") else None, m.start(), m.end("wd"))
    if v is None:
        return None
    if m.group("clock"):
        suffix = clock_suffix(m.group("clock"))
        return ("TIME", v + suffix) if suffix and not v.startswith("X") else ("DATE", v)
    if pod:
        return ("TIME", f"{v}T{R.PARTS_OF_DAY[pod.lower()]}")
    return ("DATE", v)


def _h_rd(ctx, m):
    rel = m.group("rel").lower()
    n = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[rel]
    pod = m.group("pod") or m.group("pod0") or ("night" if rel == "tonight" else None)
    if ctx.anchor is None:
        return ("DATE", "XXXX-XX-XX")
    v = shifted(ctx.anchor, "D", n)
    if v is None:
        return None
    return ("TIME", f"{v}T{R.PARTS_OF_DAY[pod.lower()]}") if pod else ("DATE", v)


def _h_pod(ctx, m):
    rel, pod = m.group("rel").lower(), m.group("pod").lower()
    n = {"this": 0, "last": -1 if pod in ("night", "evening") else 0, "tomorrow": 1, "yesterday": -1}[rel]
    if rel == "last" and pod in ("morning", "afternoon"):
        n = -1
    if ctx.anchor is None:
        return ("TIME", "XXXX-XX-XXT" + R.PARTS_OF_DAY[pod])
    v = shifted(ctx.anchor, "D", n)
    return ("TIME", f"{v}T{R.PARTS_OF_DAY[pod]}") if v else None


def _h_clkmd(ctx, m):
    """'5 p.m. EST Nov. 9': the clock time on that day."""
    suffix = clock_suffix(m.group("clock"))
    mon = m.group("mon")
    if suffix is None or not capitalised(mon):
        return None
    v = day_value(ctx, month_number(mon), int(_LEADING_DIGITS.match(m.group("day")).group()), year_of(m.group("yr")),
                   m.start(), m.end(), m.group("wd"))
    return ("TIME", v + suffix) if v else None


def _h_clk(ctx, m):
    suffix = clock_suffix(m.group("clock"))
    if suffix is None or re.search(r"\bhigh\s+$", ctx.text[max(0, m.start() - 6):m.start()], re.I):
        return None  # "high noon" is a figure of speech (and a film)
    if re.fullmatch(r"\d{1,2}:\d\d", m.group(0)) and not re.search(r"\b(?:at|by|from|until|about|around)\s*$", ctx.text[max(0, m.start() - 8):m.start()], re.I):
        return None  # a bare "3:45" is as often a score or a ratio
    base = ctx.reference(m.start())
    return ("TIME", (base.isoformat() if base else "XXXX-XX-XX") + suffix)


_REL_SHIFT = {"this": 0, "current": 0, "latest": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "this past": -1,
              "next": 1, "coming": 1, "following": 1}


def _h_ru(ctx, m):
    rel = " ".join(m.group("rel").lower().split())
    u = R.unit_of(m.group("u"))
    if _is_title(ctx, m, "u"):
        return None
    if rel in ("following", "same") and not m.group("the"):
        return None
    if u == "Y" and m.group("fis") and rel == "latest":
        n = -1  # "the latest fiscal year" is the last one closed
    else:
        n = _REL_SHIFT[rel]
    base = ctx.reference_period(m.start(), u) if rel in ("following", "same", "previous") else ctx.anchor
    if base is None:
        return ("DATE", {"W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Y": "XXXX", "DE": "XXX"}[u])
    if u == "WE":
        # a weekend is named by its ISO week; "this weekend" on a weekday is the coming one
        v = shifted(base, "W", n, "WE")
        return ("DATE", v) if v else None
    v = shifted(base, u, n)
    return ("DATE", v) if v else None


_DIR_SIGN = {"ago": -1, "earlier": -1, "before": -1, "previously": -1, "back": -1,
             "later": 1, "after": 1, "afterward": 1, "afterwards": 1, "from now": 1, "hence": 1}


def _h_ago(ctx, m):
    u = R.unit_of(m.group("u"))
    dir_ = " ".join(m.group("dir").lower().split())
    if dir_ in ("before", "after") and not re.match(r"\s*(?:[.,;:!?\"'”)]|$|and\b|but\b)", ctx.text[m.end():m.end() + 5]):
        # "two days before the vote": TimeML tags only the duration
        end = m.start("dir")
        while end > m.start() and ctx.text[end - 1].isspace():
            end -= 1
        return ("DURATION", R.duration_value(R.parse_number(m.group("n")), u), None, end)
    n = R.parse_number(m.group("n"))
    if n is None or u in (None, "S", "MIN", "H"):
        if u in ("S", "MIN", "H"):
            return ("DURATION", R.duration_value(n, u))
        return ("DATE", "PAST_REF" if _DIR_SIGN[dir_] < 0 else "FUTURE_REF")
    sign = _DIR_SIGN[dir_]
    base = ctx.anchor if dir_ in ("ago", "from now", "hence", "back") else ctx.reference(m.start())
    if base is None:
        return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if u == "Y" and n == 1 and sign < 0:
        yq = ctx.last_quarter if ctx.last_quarter and m.start() - ctx.last_quarter[2] < 2500 else None
        if yq:
            return ("DATE", f"{yq[0] - 1:04d}-Q{yq[1]}")
    if not float(n).is_integer():
        return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    v = shifted(base, u, int(sign * n))
    return ("DATE", v) if v else None


def _h_bareago(ctx, m):
    sign = -1 if m.group("dir").lower() in ("ago", "earlier") else 1
    return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")


def _h_ana(ctx, m):
    det, rel, el = m.group("det").lower(), (m.group("rel") or "").lower(), m.group("el")
    word = m.group("u").lower()
    ba = (m.group("ba") or "").lower()
    if det == "the" and word == "week" and not rel and not ba and not el and (
            re.match(r"['’]s\b", ctx.text[m.end():m.end() + 2])
            or (re.search(r"\bfor\s+$", ctx.text[max(0, m.start() - 4):m.start()], re.I) and ctx.text[m.end():m.end() + 1] == ",")):
        # "the week's most active session", "For the week, the index fell": the week being reported on,
        # which TimeML leaves unidentified
        return ("DATE", f"{ctx.anchor.year:04d}-WXX" if ctx.anchor else "XXXX-WXX")
    if det == "the" and not rel and not ba and word != "weekend":
        return None  # "the day" alone is too often generic
    if det == "the" and word == "weekend" and not rel and not ba and not el:
        if ctx.anchor is None:
            return ("DATE", "XXXX-WXX-WE")
        back = 0 if ctx.anchor.weekday() >= 5 or ctx.says_ahead(m.start()) else -1  # the weekend just gone, on a weekday
        return ("DATE", shifted(ctx.anchor, "W", back, "WE"))
    if det == "that" and not rel and not el and word not in ("day", "night", "morning", "evening", "afternoon", "year"):
        return None
    prev = ctx.done[-1] if ctx.done else None
    if (ba and det == "the" and not rel and not el and prev and prev.get("_explicit") and prev["precision"] == "day"
            and re.fullmatch(r",\s*", ctx.text[prev["end"]:m.start()])):
        # "Oct. 12, the day before the crash": an appositive that restates the date just named
        return ("DATE", prev["value"], None, m.end("u"))
    if rel == "" and ba:
        rel = "previous" if ba == "before" else "next"
    n = {"same": 0, "": 0, "previous": -1, "preceding": -1, "prior": -1, "next": 1, "following": 1}[rel]
    base = ctx.reference(m.start())
    if word in ("week", "month", "year"):
        base = ctx.reference_period(m.start(), R.unit_of(word))
    if word in R.PARTS_OF_DAY:
        v = shifted(base, "D", n) if base else "XXXX-XX-XX"
        return ("TIME", f"{v}T{R.PARTS_OF_DAY[word]}") if v else None
    u = R.unit_of(word)
    if base is None:
        return ("DATE", "XXXX-XX-XX")
    v = shifted(base, "W" if u == "WE" else u, n, u)
    return ("DATE", v) if v else None


def _h_yadj(ctx, m):
    yq = ctx.last_quarter if ctx.last_quarter and m.start() - ctx.last_quarter[2] < 2500 else None
    if yq:
        return ("DATE", f"{yq[0] - 1:04d}-Q{yq[1]}")
    if ctx.anchor is None:
        return ("DATE", "XXXX")
    return ("DATE", f"{ctx.anchor.year - 1:04d}")


def _h_dur(ctx, m):
    u = R.unit_of(m.group("u"))
    num = m.group("n")
    if u is None or "-" in (m.group("old") or ""):
        return None  # "the 6-year-old": an age used as a noun or adjective, which TimeML leaves untagged
    if _is_title(ctx, m, "u"):
        return None
    if u == "S" and num.lower() in ("a", "an") and _ORDINAL_NOUN.match(ctx.text, m.end()):
        return None  # "a second group", "a second betrayal": the ordinal, not a span of time
    if u == "Q" and re.match(r"\s*(?:of\s+(?!(?:fiscal\s+)?\d{4}|the\s+year|this\s+year)|point|percent)", ctx.text[m.end():m.end() + 20], re.I):
        return None  # "three-quarters of the shares": a fraction, not a span of time
    n = R.parse_number(num)
    if m.group("half") and n is not None:
        n += 0.5
    if num.lower() in ("a", "an") and not m.group("the") and not m.group("dm2") and not m.group("mq"):
        # "$5 million a year", "twice a day": a rate, not a span
        rate = _MONEY_BEFORE.search(ctx.text[max(0, m.start() - 12):m.start()])
        if rate:
            # "twice a day" is a SET; "$5 million a year" is a rate TimeML leaves untagged
            return ("SET", R.duration_value(1, u)) if re.match(r"once|twice|thrice|times", rate.group(0), re.I) else None
    if num.lower() == "one" and u == "D" and not (m.group("the") or m.group("dm2") or m.group("mq")) and re.search(
            r"\b(?:will|would|could|may|might|can|should|to)\s+$", ctx.text[max(0, m.start() - 8):m.start()], re.I):
        return ("DATE", "FUTURE_REF")  # "Islam will one day be ...": some day ahead, not a span
    dm = (m.group("dm") or m.group("dm2") or "").lower()
    if m.group("the") and not dm and n is not None and u in ("D", "W", "M", "Y") and num.lower() in ("a", "an"):
        return None
    return ("DURATION", R.duration_value(n, u))


def _h_nyear(ctx, m):
    if m.group("old").lower() == "old":
        return None  # ages as adjectives ("a 52-year-old man") are not tagged
    u = R.unit_of(m.group("u"))
    n = R.parse_number(m.group("n"))
    return ("DURATION", R.duration_value(n, u)) if u else None


def _h_vague(ctx, m):
    u = R.unit_of(m.group("u") or m.group("u2"))
    if u is None:
        return None
    if m.group("pre"):
        return ("DURATION", R.duration_value(None, u), m.start("u"))
    return ("DURATION", R.duration_value(None, u))


_SET_ADV = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
            "yearly": "P1Y", "annually": "P1Y", "hourly": "PT1H"}


def _h_set(ctx, m):
    if m.group("adv"):
        adv = m.group("adv").lower()
        before = ctx.text[max(0, m.start() - 25):m.start()]
        after = ctx.text[m.end():m.end() + 12]
        # "the pan-Arab daily Asharq al-Awsat", "the weekly Der Spiegel": a newspaper, not a frequency
        if re.search(r"\b(?:the|a|an|[A-Z][\w-]*)\s*$", before) and (not after.strip() or after.lstrip()[:1].isupper() or re.match(r"\s*(?:newspaper|paper|news|,)", after)):
            return None
        return ("SET", _SET_ADV[adv])
    if m.group("per"):
        u = R.unit_of(m.group("pu"))
        return ("SET", R.duration_value(1, u)) if u else None
    if m.group("smon"):
        w = m.group("smon").lower()
        return ("SET", f"XXXX-{R.SEASONS[w]}" if w in R.SEASONS else f"XXXX-{month_number(w):02d}")
    word = m.group("u")
    if re.fullmatch(WEEKDAY + "s?", word, re.I):
        return ("SET", f"XXXX-WXX-{R.WEEKDAYS[word.lower()[:3]] + 1}")
    if word.lower() in R.PARTS_OF_DAY:
        return ("SET", f"XXXX-XX-XXT{R.PARTS_OF_DAY[word.lower()]}")
    u = R.unit_of(word)
    n = R.parse_number(m.group("n")) if m.group("n") else 1
    if "other" in m.group(0).lower() and n:
        n *= 2
    return ("SET", R.duration_value(n, u)) if u else None


def _h_ref(ctx, m):
    w = " ".join(m.group("w").lower().split())
    s = m.start()
    if w.startswith("in recent"):  # "in" is a preposition: keep it outside
        s += 2
        while ctx.text[s].isspace():
            s += 1
    if m.group("ru"):  # "recent months": a span of vague length reaching the present
        return ("DURATION", R.duration_value(None, R.unit_of(m.group("ru"))), s)
    if w.startswith("in recent"):
        return ("DATE", "PAST_REF", s)
    if w in ("now", "currently", "nowadays", "at present", "the present", "at the moment", "current", "these days"):
        if w == "current" and re.match(r"\s+(?:account|affairs|events|flows?|prices?)\b", ctx.text[m.end():m.end() + 12], re.I):
            return None
        return ("DATE", "PRESENT_REF")
    if "future" in w or "coming" in w or "term" in w or "later" in w or w.startswith("the next"):
        return ("DATE", "FUTURE_REF")
    return ("DATE", "PAST_REF")


def _h_fest(ctx, m):
    h = " ".join(m.group("h").lower().split())
    if not capitalised(m.group("h")):
        return None
    year = year_of(m.group("yr"))

    def on(y):
        if h.startswith("christmas"):
            return R.safe_date(y, 12, 24 if h.endswith("eve") else 25)
        if h.startswith("new year"):
            return R.safe_date(y, 12, 31) if h.endswith("eve") else R.safe_date(y, 1, 1)
        if h.startswith("election"):  # US Election Day: the Tuesday after the first Monday in November
            first = R.safe_date(y, 11, 1)
            return first + dt.timedelta(days=(0 - first.weekday()) % 7 + 1) if first else None
        if h.startswith("thanksgiving"):
            first = R.safe_date(y, 11, 1)
            return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21) if first else None
        try:
            return easter(y)
        except ValueError:
            return None

    if year is None:
        if ctx.anchor is None:
            return None
        year = ctx.anchor.year
        d = on(year)
        if d and h.endswith("week") and R.format_at(d, "W") == R.format_at(ctx.anchor, "W"):
            pass  # "as Easter week began": the anchor lies inside this year's
        elif d and d > ctx.anchor:
            d = near_date(ctx, on(year - 1), d, m.start(), m.end())
            year = d.year if d else year - 1
    d = on(year)
    if d is None:
        return None
    if h.endswith("week"):
        return ("DATE", R.format_at(d, "W"))
    return ("DATE", d.isoformat())


def _h_theyear(ctx, m):
    if m.group("end"):
        return ("DURATION", "P1Y", None, m.start("end"))  # "the year ended June 30": a fiscal span
    before = ctx.text[max(0, m.start() - 12):m.start()].lower()
    after = ctx.text[m.end():m.end() + 2]
    if not m.group("q") and not (re.search(r"\b(?:for|of|during|throughout)\s+$", before) and re.match(r"\s*[.,;:]", after)):
        return None  # a bare "the year" is too often generic
    if ctx.anchor is None:
        return ("DATE", "XXXX")
    return ("DATE", f"{ctx.anchor.year:04d}")


def _h_yend(ctx, m):
    if ctx.anchor is None:
        return ("DATE", "XXXX")
    if m.group("ye"):
        return ("DATE", f"{ctx.anchor.year:04d}")
    u = R.unit_of(m.group("u"))
    v = shifted(ctx.anchor, u, {"the": 0, "this": 0, "last": -1, "next": 1}[m.group("rel").lower()])
    return ("DATE", v) if v else None


def _h_spoken(ctx, m):
    if m.group("k"):
        return ("DATE", f"{2000 + int(R.parse_number(m.group('k').lower().replace('two thousand', '').strip() or '0') or 0):04d}")
    d = R.parse_number(m.group("d"))
    return ("DATE", f"{1900 + int(d):04d}") if d is not None and d < 100 else None


def _h_decw(ctx, m):
    """'the nineties': the decade a spelled-out decade names in the 1900s."""
    tens = R.parse_number(m.group("dw").lower()[:-3] + "y")  # "nineties" -> "ninety"
    return ("DATE", f"19{int(tens) // 10}") if tens else None


def _h_podmod(ctx, m):
    """'by mid afternoon': that part of the day the sentence is about."""
    base = ctx.reference(m.start())
    return ("TIME", (base.isoformat() if base else "XXXX-XX-XX") + "T" + R.PARTS_OF_DAY[m.group("pod").lower()])


def _h_ahead(ctx, m):
    """'the weeks ahead': a span of vague length from now on."""
    return ("DURATION", R.duration_value(None, R.unit_of(m.group("u"))))


def _h_inthe(ctx, m):
    """'earlier in the year': a part of the period the text is in, written as that period."""
    u = R.unit_of(m.group("u"))
    if u == "D":
        base = ctx.reference(m.start())
        return ("DATE", base.isoformat()) if base else ("DATE", "XXXX-XX-XX")
    # the period a date in the same sentence names ("In 1985 ... later in the year"), else the anchor's
    named = any(t["start"] >= ctx.sentence_start(m.start()) for t in ctx.done if t["type"] == "DATE" and t["resolved"])
    v = shifted(ctx.reference_period(m.start(), u) if named else ctx.anchor, u, 0)
    return ("DATE", v) if v else None


def _h_overyears(ctx, m):
    """'over the years': a span of vague length; the preposition stays outside."""
    return ("DURATION", R.duration_value(None, R.unit_of(m.group("u"))), m.start("x"))


def _h_while(ctx, m):
    """'for a while': a span of unstated length; the preposition stays outside."""
    return ("DURATION", "PXX", m.start("x"))


def _h_nthday(ctx, m):
    """'today is the eighth day of the strike': the day the sentence is about, counted in a run of days."""
    if not re.search(r"(?:\bis|['’]s|\bmarks)\s+$", ctx.text[max(0, m.start() - 7):m.start()], re.I):
        return None  # "on the second day of the talks" counts from a day the text may not name
    base = ctx.reference(m.start())
    return ("DATE", base.isoformat()) if base else None


def _h_then(ctx, m):
    """'until then': the date the text named last, when it named one nearby; else nothing to tag."""
    for t in reversed(ctx.done):
        if m.start() - t["end"] > 600:
            break
        if t["type"] in ("DATE", "TIME") and t["value"][:1].isdigit():
            return (t["type"], t["value"], m.start("then"))
    return None


def _h_prepost(ctx, m):
    """'the post-1959 politics': the year is the timex."""
    return ("DATE", m.group("yr"))


_MONTH_DAY_BEFORE = re.compile(r"(?P<mon>[A-Z][a-z]+\.?)\s*\d{1,2}(?:st|nd|rd|th)?\s+$")


def _h_andday(ctx, m):
    """'April 24 and 25': the second day of a month-day pair, in the first one's month and year."""
    before = _MONTH_DAY_BEFORE.search(ctx.text, max(0, m.start() - 16), m.start())
    prev = ctx.done[-1] if ctx.done else None
    if not before or not prev or prev["end"] != before.start() + len(before.group(0).rstrip()):
        return None
    if _COUNT_AFTER.match(ctx.text, m.end()):
        return None  # "on Nov. 9 and 10 people died": a count
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", prev["value"]) or month_number(before.group("mon")) is None:
        return None
    d = R.safe_date(int(prev["value"][:4]), int(prev["value"][5:7]), int(_LEADING_DIGITS.match(m.group("day")).group()))
    return ("DATE", d.isoformat(), m.start("day")) if d else None


def _h_daywd(ctx, m):
    """'the day before last Tuesday': a day counted from a weekday."""
    if not capitalised(m.group("wd")):
        return None
    rel = m.group("rel")
    v = weekday_value(ctx, R.WEEKDAYS[m.group("wd").lower()[:3]], rel, m.start("wd"), m.end("wd"))
    if v is None or v.startswith("X"):
        return None
    v = shifted(dt.date.fromisoformat(v), "D", -1 if m.group("ba").lower() == "before" else 1)
    return ("DATE", v) if v else None


HANDLERS = {kind: globals()["_h_" + kind] for kind, _ in PATTERNS}
