"""Anchoring for the temporal tagger: which calendar day, month or weekday an expression points at.

`Context` holds one text's anchor date and the expressions tagged so far, and reads the cues
around an expression: the sentence it sits in, its tense ("will meet on Nov. 25" looks ahead,
"fell on Nov. 10" looks back), and the date an anaphor ("the next day", "that month") counts
from.  The helpers below pick the year of an undated day or month and the date of a weekday
per SPEC.md, "Dates: the anchor": on or before the anchor unless the text says it is ahead.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re

from . import timex_rules as R
from .timex_patterns import lowercased, plain_letters
from .wordtrie import alternation

# Words that mean an expression looks ahead of the anchor ("will meet on Nov. 25").
_AHEAD = re.compile(r"\b(?:will|'ll|shall|would|ahead\s+of|next(?!\s+to\b)|upcoming|coming|scheduled|due|expected\s+to|plans?\s+to|planned|is\s+to|are\s+to"
                    r"|set\s+to|going\s+to|until|till|starting|effective|takes?\s+effect|from\s+now|tomorrow|payable|expires?|expiring"
                    r"|of\s+record|extended\s+to|deadline|planned\s+to|planning\s+to|as\s+(?:soon|early)\s+as|no\s+later\s+than|postponed\s+(?:to|until)|adjourned\s+until|to\s+be\s+\w+ed)\b", re.I)
# The same, to run over a lowered plain text: case-sensitive, re skips the branches whose first letter differs.
_AHEAD_LOWERCASED = lowercased(_AHEAD)
_FUTURE_MORE = re.compile(r"\b(?:would|'d|may|might|to\s+be\s+\w+ed|to\s+(?:begin|start|take|hold|meet|visit|vote|decide|announce|complete"
                          r"|close|acquire|buy|sell|pay|redeem|expire|end|return|resume|leave|travel|join|submit|respond|rule|hear"
                          r"|testify|open|release|launch|sign|attend|issue|conclude|report|consider|review|receive|reach|mark|hand"
                          r"|keep|admit|overturn|hold|run|seek|file|appeal|appear|become))\b")
# Past-tense verbs: common irregular ones and lowercase "-ed" words (the "-ed" words that announce a plan are cut out below).
# Reporting verbs ("said", "told", "announced") date the report, not the event, so they are no cue.
# The verbs as a trie (see analysis.wordtrie): each alternative must reach the end of the word, so the
# order of the branches does not change what matches.
_PAST = re.compile(r"\b(?:" + alternation("was were had did fell rose began took came went made found struck killed died left won"
                                           " lost met held saw became broke fought gave ran sank shot stood brought bought sold"
                                           " paid thought caught sought led fled spent sent built kept chose drove spoke wrote"
                                           " grew drew threw knew flew got".split())
                   + r"|[a-z]{2,}ed)\b")
_NOT_PAST = re.compile(r"(?:scheduled|expected|planned|extended|postponed|delayed|proposed|needed|intended|slated|adjourned"
                       r"|required|based|limited|related|owned|listed|united|anticipated|estimated|projected|targeted"
                       r"|forecasted|budgeted|unspecified|guaranteed|called|need|feed|seed|speed|proceed|exceed|succeed|indeed|bleed|breed"
                       r"|greed|weed|shed|bred|fled|announced|reported|claimed|stated|added|declared|noted|disclosed|confirmed)")
# An "-ed" word followed by "by" or by a noun it modifies is a participle ("tendered by", "preferred shares").
_ADJECTIVAL = re.compile(r"\s+(?:by\b|(?!(?:the|a|an|his|her|its|their|on|in|at|to|for|from|with|into|out|up|down|off|over|last"
                         r"|this|that|after|before|and|or|but|as|when|since|until|early|late|earlier|later|enough|more|much|some|no|any|all|both"
                         r"|him|them|it|us|me|such|what|which|who|how|through|across|around|past|away|again|along|apart|back)\b)[a-z])")
# "were planning to", "was due to": a plan, which looks ahead, not a past event.
_PLAN_AFTER = re.compile(r"\s+(?:planning|going|expected|scheduled|due|set|about|supposed|to)\b", re.I)
_PAST_PERFECT_AFTER = re.compile(r"[^.;]*?\b(?:had|was|were)\b", re.I)
# "had been due to expire Friday": a plan told in the past perfect was for a day already gone.
_PAST_PLAN = re.compile(r"\bhad\s+(?:been\s+)?(?:due|scheduled|set|expected|planned|slated|supposed)\b", re.I)
_PERFECT = re.compile(r"\b(?:have|has|had|'ve)\s+$", re.I)
_PASSIVE = re.compile(r"\b(?:be|been|being|is|are|am|will|would|to|not|n't)\s+$", re.I)
# A preposition right before a date that puts it ahead ("by Jan. 14", "until March 6") or behind ("since May").
_PREP_AHEAD = re.compile(r"\b(?:by|until|till|before|starting|effective|from\s+now\s+to)\s+(?:the\s+)?$", re.I)
PREP_PAST = re.compile(r"\b(?:since|last|ended|ending)\s+$", re.I)
_SAID = re.compile(r"\b(?:said|says|told|announced|reported|claimed|stated|added|declared)\b", re.I)
# A full stop before a capital or a digit, or a blank line.  Opening with the class of the first
# characters lets re skip to them in C: `[.!?]...|\n\s*\n` is tried at every character.
_SENT_END = re.compile(r"[.!?\n](?:(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|(?<=\n)\s*\n)")
_WEEK_VALUE = re.compile(r"\d{4}-W\d\d")
_CLOCK_DIGITS = re.compile(r"(\d{1,2})(?::(\d\d))?")
_ABBREV = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Rep|Sen|Gov|St|Jr|Sr|Co|Corp|Inc|Ltd|No|U\.S|U\.N|Jan|Feb"
                     r"|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx))$")

_LOWERCASE_ABBREVS = ("vs", "etc", "approx")  # _ABBREV's others hold a capital


def _abbreviation_ends(before: str) -> bool:
    """Return True when `before` (the characters before a full stop) ends with an abbreviation."""
    if before.islower() and not before.endswith(_LOWERCASE_ABBREVS) and not before.endswith("\n"):
        return False  # most full stops end a lowercase word: no need to run _ABBREV (whose $ also takes a last \n)
    return bool(_ABBREV.search(before))


def anchor_date(anchor) -> dt.date | None:
    """Return the anchor as a date, None when missing or unreadable: anchor_date('2017-11-19') == date(2017, 11, 19)."""
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    if isinstance(anchor, str):
        try:
            return dt.date.fromisoformat(anchor.strip()[:10])
        except ValueError:
            return None
    return None


class Context:
    """Per-text state the handlers share: the anchor, the text, earlier timexes."""

    def __init__(self, text: str, anchor: dt.date | None):
        self.text = text
        self.anchor = anchor
        self.done: list[dict] = []
        self.last_quarter: tuple[int, int, int] | None = None  # (year, quarter, offset) of the last quarter named
        self._breaks: list[tuple[int, int]] | None = None  # sentence breaks, found on first use
        self._lowered = text.lower() if plain_letters(text) else None  # for _AHEAD_LOWERCASED
        self._break_keys: list[int] = []
        self._says_ahead: dict[tuple[int, int], bool] = {}  # says_ahead's answers: handlers ask again

    def sentence_start(self, pos: int) -> int:
        """Return the offset where the sentence holding pos begins (looking back at most 1,500 characters)."""
        if self._breaks is None:
            self._index_breaks()
        lo = max(0, pos - 1500)
        # a full stop counts once the next sentence's first character is before pos; a blank line at once
        i = bisect.bisect_right(self._break_keys, 2 * pos) - 1
        return self._breaks[i][1] if i >= 0 and self._breaks[i][0] >= lo else lo

    def _index_breaks(self) -> None:
        """Find the sentence breaks of the whole text once: (start, end) of each, in text order."""
        text = self.text
        self._breaks = [m.span() for m in _SENT_END.finditer(text)
                        if m.group(0).startswith("\n") or not _abbreviation_ends(text[max(0, m.start() - 6):m.start()])]
        # sort key: 2*end for a blank line (found when end <= pos), 2*end+1 for a full stop (end < pos)
        self._break_keys = [2 * e + (0 if text.startswith("\n", s) else 1) for s, e in self._breaks]

    def sentence_end(self, pos: int, reach: int = 300) -> int:
        """Return the offset where the sentence holding pos ends (at most `reach` characters on)."""
        hi = min(len(self.text), pos + reach)
        for m in _SENT_END.finditer(self.text, pos, hi):
            if m.group(0).startswith("\n") or not _abbreviation_ends(self.text[max(0, m.start() - 6):m.start()]):
                return m.start()
        return hi

    def before(self, pos: int, words: int = 6) -> str:
        """Return up to `words` words before pos within its sentence."""
        seg = self.text[self.sentence_start(pos):pos]
        return " ".join(seg.rsplit(None, words)[-words:])  # rsplit: the words before are left whole

    def says_ahead(self, pos: int, words: int = 6) -> bool:
        """Return True when the words just before pos put the expression ahead of the anchor."""
        said = self._says_ahead.get((pos, words))
        if said is None:
            said = self._says_ahead[pos, words] = self._words_say_ahead(pos, words)
        return said

    def _words_say_ahead(self, pos: int, words: int) -> bool:
        window = self.before(pos, words)
        m = None
        for m in self._ahead_cues(window, 0, len(window)):
            pass
        if not m or _SAID.search(window[m.end():]) or _PAST_PLAN.search(window):
            return False
        if m.group(0).lower() in ("until", "till"):
            # "Until Thursday, they had not called him a suspect": a span that has ended
            return not _PAST_PERFECT_AFTER.match(self.text, pos, self.sentence_end(pos, 80))
        return True

    def tense(self, start: int, end: int) -> str | None:
        """Return 'future' or 'past' from the cue nearest the expression in its sentence (a modal, a
        deadline word, a past-tense verb), None when the sentence gives none."""
        lo = self.sentence_start(start)
        hi = self.sentence_end(end)
        just_before = self.text[max(lo, start - 12):start]
        if _PREP_AHEAD.search(just_before):
            return "future"
        if PREP_PAST.search(just_before):
            return "past"
        best, best_dist = None, None
        cues = ((self._ahead_cues(self.text, lo, hi), "future"), (_FUTURE_MORE.finditer(self.text, lo, hi), "future"),
                (_PAST.finditer(self.text, lo, hi), "past"))
        for found, label in cues:
            for m in found:
                cue_start, cue_end = m.span()
                if cue_end <= start:
                    dist = start - cue_end
                elif cue_start >= end:
                    dist = cue_start - end + 15  # a cue before the expression governs it more often than one after
                else:
                    continue
                if best_dist is not None and dist >= best_dist:
                    if cue_start >= end:
                        break  # the cues further on are further away
                    continue
                if label == "past" and (_NOT_PAST.fullmatch(m.group(0).lower())
                                        or _PASSIVE.search(self.text, max(lo, cue_start - 14), cue_start)
                                        or (m.group(0) in ("was", "were") and _PLAN_AFTER.match(self.text, cue_end))
                                        or (m.group(0).endswith("ed") and _ADJECTIVAL.match(self.text, cue_end)
                                            and not _PERFECT.search(self.text, max(lo, cue_start - 6), cue_start))):
                    continue  # "will be repatriated", "preferred shares": a participle, not a past tense
                best, best_dist = label, dist
        return best

    def _ahead_cues(self, text: str, lo: int, hi: int):
        """Return the _AHEAD matches in text[lo:hi], where text is this context's text or words cut from
        it; on a plain text (see plain_letters) they are found in its lowered copy, twice as fast."""
        if self._lowered is None:
            return _AHEAD.finditer(text, lo, hi)
        return _AHEAD_LOWERCASED.finditer(self._lowered if text is self.text else text.lower(), lo, hi)

    def reference_period(self, pos: int, unit: str) -> dt.date | None:
        """Return a date in the period the text last named at least as finely as `unit` ('M', 'W', 'Y')
        within the last few sentences, for "the following month", "that year"; else the anchor."""
        fine = {"W": ("day", "week"), "M": ("day", "month"), "Y": ("day", "week", "month", "quarter", "year")}.get(unit)
        if fine:
            for t in reversed(self.done):
                if pos - t["end"] > 600:
                    break
                if t["type"] in ("DATE", "TIME") and t["precision"] in fine and t["resolved"]:
                    r = t["resolved"]
                    try:
                        if _WEEK_VALUE.fullmatch(r):
                            return dt.date.fromisocalendar(int(r[:4]), int(r[6:8]), 1)
                        return dt.date(int(r[:4]), int(r[5:7]) if len(r) >= 7 and r[5:7].isdigit() else 1,
                                       int(r[8:10]) if len(r) >= 10 else 1)
                    except ValueError:
                        continue
        return self.anchor

    def narrative_day(self, pos: int, reach: int = 1500) -> dt.date | None:
        """Return the last day the text wrote out within `reach` characters before pos, else None."""
        for t in reversed(self.done):
            if pos - t["end"] > reach:
                break
            if t.get("_explicit") and t["precision"] == "day" and t["resolved"]:
                return dt.date.fromisoformat(t["resolved"][:10])
        return None

    def reference(self, pos: int) -> dt.date | None:
        """Return the date anaphoric phrases count from: the last explicit day in the sentence, else the anchor."""
        start = self.sentence_start(pos)
        for t in reversed(self.done):
            if t["start"] < start:
                break
            if t.get("_explicit") and t["precision"] == "day" and t["resolved"]:
                return dt.date.fromisoformat(t["resolved"][:10])
        return self.anchor


def month_number(word: str) -> int | None:
    return R.MONTHS.get(word.lower()[:3])


def capitalised(word: str) -> bool:
    return word[:1].isupper()


def year_of(s: str | None) -> int | None:
    """Return the year a numeral or a spoken year names: year_of('nineteen ninety-four') == 1994."""
    if not s:
        return None
    if s[0].isdigit():
        return int(s)
    rest = R.parse_number(s.lower().replace("nineteen", "", 1).strip(" -"))
    return 1900 + int(rest) if rest is not None and 10 <= rest < 100 else None


def day_value(ctx: Context, month: int, day: int, year: int | None, start: int, end: int,
               weekday: str | None = None) -> str | None:
    """Return 'YYYY-MM-DD' for a month-day, choosing the year per SPEC; None for an impossible date.
    A weekday written with it ("Saturday, April 25") picks the year in which the two agree."""
    if year is not None:
        d = R.safe_date(year, month, day)
        return d.isoformat() if d else None
    if R.safe_date(2000, month, day) is None:  # 2000 is a leap year: rejects only Nov. 31 and the like
        return None
    if ctx.anchor is None:
        return f"XXXX-{month:02d}-{day:02d}"
    behind, ahead = R.latest_on_or_before(ctx.anchor, month, day), R.earliest_after(ctx.anchor, month, day)
    if weekday and behind and ahead and behind != ahead:
        wd = R.WEEKDAYS[weekday.lower()[:3]]
        agree = [d for d in (behind, ahead) if d.weekday() == wd]
        if len(agree) == 1:
            return agree[0].isoformat()
    d = near_date(ctx, behind, ahead, start, end)
    return d.isoformat() if d else None


# How far ahead of the anchor an undated day or month may lie and still be read as coming when the
# sentence gives no tense: news writes "Nov. 10" a week before it for the coming one.
_NEAR_AHEAD_DAYS = 92
_FAR_AHEAD_DAYS = 300  # beyond this, "Oct. 23" in a Nov. 1 story is last month's, whatever the tense


def near_date(ctx: Context, behind: dt.date | None, ahead: dt.date | None, start: int, end: int) -> dt.date | None:
    """Return the occurrence of an undated day or month the sentence points at: the coming one when it
    looks ahead (or is near and the sentence is tenseless), else the latest on or before the anchor."""
    if behind is None or ahead is None or behind == ahead:
        return behind or ahead
    if ctx.says_ahead(start):
        return ahead
    tense = ctx.tense(start, end)
    if tense == "future" and (ahead - ctx.anchor).days <= _FAR_AHEAD_DAYS:
        return ahead
    if tense is None and (ahead - ctx.anchor).days <= _NEAR_AHEAD_DAYS:
        return ahead
    return behind


def month_value(ctx: Context, month: int, year: int | None, rel: str | None, start: int, end: int) -> str | None:
    if year is not None:
        return f"{year:04d}-{month:02d}"
    a = ctx.anchor
    if a is None:
        return f"XXXX-{month:02d}"
    rel = (rel or "").lower()
    if rel == "next" or (rel != "last" and ctx.says_ahead(start)):
        y = a.year if month > a.month or (rel != "next" and month == a.month) else a.year + 1
    elif rel == "last":
        y = a.year if month < a.month else a.year - 1
        if (a.month - month) % 12 == 1:
            y -= 1  # the month just gone is "last month": "last February" said in March is a year earlier
    elif rel == "this":
        y = a.year
    elif month == a.month:
        y = a.year
    elif (same := named_month_year(ctx, month, start)) is not None and ctx.tense(start, end) is None:
        y = same  # the month named again a little later, with no tense of its own: the same occurrence
    else:
        behind = dt.date(a.year if month < a.month else a.year - 1, month, 1)
        ahead = dt.date(a.year if month > a.month else a.year + 1, month, 1)
        y = near_date(ctx, behind, ahead, start, end).year
    return f"{y:04d}-{month:02d}"


def named_month_year(ctx: Context, month: int, pos: int) -> int | None:
    """Return the year of the same month when the text named it in the last few sentences, else None."""
    for t in reversed(ctx.done):
        if pos - t["end"] > 1000:
            break
        v = t["value"]
        if t["type"] == "DATE" and len(v) >= 7 and v[:4].isdigit() and v[4] == "-" and v[5:7] == f"{month:02d}":
            return int(v[:4])
    return None


def weekday_value(ctx: Context, wd: int, rel: str | None, start: int, end: int) -> str | None:
    if ctx.anchor is None:
        return f"XXXX-WXX-{wd + 1}"
    rel = " ".join((rel or "").lower().split())
    if rel in ("the previous", "the following", "the next", "that"):
        # tied to a day the sentence names ("the previous Friday"), else to the anchor
        base = ctx.reference(start) or ctx.anchor
        if rel == "the previous" and base == ctx.anchor:
            base = ctx.narrative_day(start) or base  # "down 4.5% from the previous Friday": before the day just reported
        d = R.weekday_near(base, wd, {"the previous": "before", "that": "back"}.get(rel, "after"))
        return d.isoformat() if d else None
    if rel == "next":
        direction = "after"
    elif rel in ("last", "this past"):
        direction = "before"
    elif rel == "coming" or ctx.says_ahead(start) or (ctx.says_ahead(start, 8) and not ctx.text.startswith("'s", end)
                                                              and ctx.tense(start, end) == "future"):
        direction = "ahead"
    else:
        direction = "back"
    d = R.weekday_near(ctx.anchor, wd, direction)
    return d.isoformat() if d else None


def shifted(base: dt.date | None, unit: str, n: int, fmt_unit: str | None = None) -> str | None:
    if base is None:
        return None
    d = R.shift(base, unit, n)
    return R.format_at(d, fmt_unit or unit) if d else None


def clock_suffix(clock: str) -> str | None:
    """Return the 'Thh:mm' part of a clock time, e.g. clock_suffix('9 p.m.') == 'T21:00'."""
    c = clock.lower()
    if "noon" in c or "midday" in c:
        return "T12:00"
    if "midnight" in c:
        return "T24:00"
    m = _CLOCK_DIGITS.match(c)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    if "p" in c[m.end():m.end() + 4] and h < 12:
        h += 12
    elif "a" in c[m.end():m.end() + 4] and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return f"T{h:02d}:{mi:02d}"
