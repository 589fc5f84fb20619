"""Calendar arithmetic and TIMEX3 value normalisation for the temporal tagger.

`analysis.timexes` finds temporal expressions; this module turns their parts into TimeML
values: it parses number words, shifts dates by calendar units, formats a date at a
granularity ('2017-11', '2017-W46', '2017-Q4', '201'), and derives `resolved` and
`precision` from a value.  Pure functions, no state.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

from dateutil.relativedelta import relativedelta

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# Month a season starts in, to decide whether "last summer" is this year's or last year's.
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                "overnight": "NI", "tonight": "NI"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

_UNITS = {
    "second": "S", "minute": "MIN", "hour": "H", "day": "D", "night": "D", "week": "W",
    "weekend": "WE", "fortnight": "FN", "month": "M", "quarter": "Q", "year": "Y",
    "decade": "DE", "century": "CE", "centurie": "CE",
}
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "one-and-a-half": 1.5,
    "hundred": 100, "dozen": 12, "couple": 2, "half": 0.5,
}
_VAGUE = {"few", "several", "some", "many", "dozens", "hundreds", "numerous", "couple-of"}
_NUMBER_WORD_GAP = re.compile(r"[\s-]+")
_FRACTION = re.compile(r"(\d+)\s+(\d)/(\d)")
_DECADE_VALUE = re.compile(r"\d{3}")
_DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?|-W(\d\d)(?:-WE)?|-Q([1-4])|-H([12])|-(SP|SU|FA|WI))?(?:T.*)?$")


def unit_of(word: str) -> str | None:
    """Return the unit code of a unit noun, e.g. unit_of('Weeks') == 'W'."""
    w = word.lower().rstrip("s")
    return _UNITS.get(w)


def parse_number(words: str) -> float | None:
    """Return the number a numeral phrase states, None when it is vague: parse_number('twenty-one') == 21."""
    s = words.lower().strip()
    m = _FRACTION.fullmatch(s)
    if m:
        return int(m.group(1)) + int(m.group(2)) / int(m.group(3))
    s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        pass
    tokens = [t for t in _NUMBER_WORD_GAP.split(s) if t and t not in ("of", "and")]
    if not tokens or any(t in _VAGUE for t in tokens):
        return None
    total = 0.0
    for t in tokens:
        if t not in _SMALL:
            return None
        v = _SMALL[t]
        if t == "hundred":
            total = max(total, 1) * 100
        elif t == "half":
            total += 0.5
        elif t in ("a", "an") and (total or "couple" in tokens):
            continue  # "one and a half", "a couple of": the article belongs to the next word
        else:
            total += v
    return total


def number_text(n: float | None) -> str:
    """Return a duration's number as TimeML writes it, e.g. number_text(1.5) == '1.5', number_text(None) == 'X'."""
    if n is None:
        return "X"
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# A fraction of a unit is written in the next smaller one, as TimeML does: 2 1/2 years is P2Y6M.
_SMALLER = {"Y": ("M", 12), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}


def duration_value(n: float | None, unit: str) -> str:
    """Return the TIMEX3 duration value for n units, e.g. duration_value(3, 'D') == 'P3D', duration_value(2.5, 'Y') == 'P2Y6M'."""
    if n is not None and not float(n).is_integer() and unit in _SMALLER:
        small, per = _SMALLER[unit]
        whole, rest = int(n), (n - int(n)) * per
        if float(rest).is_integer():
            if not whole:
                return duration_value(rest, small)
            head = duration_value(whole, unit)
            tail = duration_value(rest, small)
            # "PT1H" + "PT30M" -> "PT1H30M"; "P2Y" + "P6M" -> "P2Y6M"; "P1D" + "PT12H" -> "P1DT12H"
            return head + (tail[2:] if head.startswith("PT") else tail[1:])
    num = number_text(n)
    if unit in ("S", "H", "MIN"):
        return f"PT{num}{'M' if unit == 'MIN' else unit}"
    if unit == "Q":
        return f"P{number_text(n * 3)}M" if n is not None else "PXM"
    if unit == "FN":
        return f"P{number_text(n * 2)}W" if n is not None else "PXW"
    if unit == "DE":
        return f"P{number_text(n * 10)}Y" if n is not None else "PXY"
    if unit == "CE":
        return f"P{number_text(n * 100)}Y" if n is not None else "PXY"
    if unit == "WE":
        return f"P{number_text(n * 2)}D" if n is not None else "PXD"
    return f"P{num}{unit}"


@functools.lru_cache(maxsize=4096, typed=True)  # relativedelta is slow, and a text's dates repeat ("last year", "a year ago")
def shift(d: dt.date, unit: str, n: int) -> dt.date | None:
    """Return d moved n calendar units, None when it leaves the calendar: shift(date(2017,11,19), 'D', -1) == date(2017,11,18)."""
    try:
        if unit in ("D",):
            return d + dt.timedelta(days=n)
        if unit in ("W", "WE"):
            return d + dt.timedelta(weeks=n)
        if unit == "FN":
            return d + dt.timedelta(weeks=2 * n)
        if unit == "M":
            return d + relativedelta(months=n)
        if unit == "Q":
            return d + relativedelta(months=3 * n)
        if unit == "Y":
            return d + relativedelta(years=n)
        if unit == "DE":
            return d + relativedelta(years=10 * n)
        if unit == "CE":
            return d + relativedelta(years=100 * n)
    except (OverflowError, ValueError):
        return None
    return None


def quarter_of(d: dt.date) -> int:
    """Return the calendar quarter of a date, e.g. quarter_of(date(2017, 11, 19)) == 4."""
    return (d.month - 1) // 3 + 1


def format_at(d: dt.date, unit: str) -> str:
    """Return the TIMEX3 value naming the unit that contains d, e.g. format_at(date(2017,11,19), 'W') == '2017-W46'."""
    if unit in ("D", "H", "MIN", "S"):
        return d.isoformat()
    if unit in ("W", "FN"):
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if unit == "WE":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}-WE"
    if unit == "M":
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "Y":
        return f"{d.year:04d}"
    if unit == "DE":
        return f"{d.year // 10:03d}"
    if unit == "CE":
        return f"{d.year // 100:02d}"
    return d.isoformat()


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """Return the date, None when it does not exist: safe_date(2017, 11, 31) is None."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def latest_on_or_before(anchor: dt.date, month: int, day: int) -> dt.date | None:
    """Return the month-day in the year that puts it on or before the anchor, e.g. (2017-01-05, 12, 30) -> 2016-12-30."""
    d = safe_date(anchor.year, month, day)
    if d is None or d > anchor:
        d = safe_date(anchor.year - 1, month, day)
        if d is None and month == 2 and day == 29:  # Feb 29 needs a leap year: look back further
            for back in range(2, 9):
                d = safe_date(anchor.year - back, month, day)
                if d:
                    break
    return d


def earliest_after(anchor: dt.date, month: int, day: int) -> dt.date | None:
    """Return the first such month-day on or after the anchor, e.g. (2017-11-19, 1, 5) -> 2018-01-05."""
    d = safe_date(anchor.year, month, day)
    if d is None or d < anchor:
        d = safe_date(anchor.year + 1, month, day)
    return d


def weekday_near(anchor: dt.date, weekday: int, direction: str) -> dt.date | None:
    """Return the weekday nearest the anchor in a direction ('back' includes the anchor, 'before' excludes it,
    'ahead' includes it, 'after' excludes it), e.g. Sunday 'back' from Sunday 2017-11-19 is 2017-11-19."""
    try:
        if direction in ("back", "before"):
            delta = (anchor.weekday() - weekday) % 7
            if delta == 0 and direction == "before":
                delta = 7
            return anchor - dt.timedelta(days=delta)
        delta = (weekday - anchor.weekday()) % 7
        if delta == 0 and direction == "after":
            delta = 7
        return anchor + dt.timedelta(days=delta)
    except OverflowError:
        return None


def resolution(value: str, type_: str, anchor: dt.date | None) -> tuple[str | None, str]:
    """Return the calendar date or period a value points an event at and its granularity, (None, 'none')
    when it points at none; e.g. resolution('2017-11-09TNI', 'TIME', a) == ('2017-11-09', 'day')."""
    if type_ in ("DURATION", "SET"):
        return None, "none"
    if value == "PRESENT_REF":
        return (anchor.isoformat(), "day") if anchor else (None, "none")
    m = _DATE_VALUE.match(value)
    if m:
        if m.group(3) or "T" in value:
            precision = "day"
        elif m.group(4):
            precision = "week"
        elif m.group(2):
            precision = "month"
        elif m.group(5) or m.group(6) or m.group(7):
            precision = "quarter"
        else:
            precision = "year"
        return value.split("T")[0], precision
    if _DECADE_VALUE.fullmatch(value):
        return value, "decade"
    return None, "none"
