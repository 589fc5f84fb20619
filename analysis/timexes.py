"""Rule-based TimeML temporal tagger: finds TIMEX3 expressions in text and anchors them.

`tag_timexes(text, anchor)` returns one dict per temporal expression, in text order, with
character offsets, TIMEX3 `type` and `value`, the `resolved` calendar date or period and
its `precision` (see SPEC.md, "Dates: the anchor" and the `timexes` table).  Extents
follow TempEval-3: leading prepositions stay outside ("On Nov. 9" -> "Nov. 9"), modifiers
such as "late", "about", "the past" stay inside.

How it works: a few precompiled patterns, one per kind of expression, scan the text; where
candidates overlap the longest wins; each survivor is normalised in text order by the
handler for its kind, which may reject it (model designations, impossible dates).
Calendar arithmetic lives in `analysis.timex_rules`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re

from dateutil.easter import easter

from . import timex_rules as R

# ---------------------------------------------------------------- building blocks
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept\.?|sep\.?|oct\.?|nov\.?|dec\.?)(?![\w'’])")
_FULL_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)(?!,\d)(?!\.\d)"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)(?![\d\w])(?!\.\d)"
_NUMWORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|(?:a|one|two|three)\s+hundred)")
_NUM = (r"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|" + _NUMWORD + r"(?:\s+and\s+a\s+half)?"
        r"|a\s+couple\s+of|a\s+few|several|few|many|some|a\s+dozen|dozens\s+of|hundreds\s+of|an?)")
_UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century)"
_UNITS = r"(?:seconds|minutes|hours|days|nights|weeks|weekends|fortnights|months|quarters|years|decades|centuries)"
_ANYUNIT = r"(?:" + _UNITS + "|" + _UNIT + r")"
_MODQ = (r"(?:about|around|approximately|nearly|almost|roughly|some|more\s+than|less\s+than|fewer\s+than"
         r"|over|under|at\s+least|at\s+most|just|only|barely|up\s+to|well\s+over|exactly)")
_MODD = (r"(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid|middle|end|beginning|start)(?:\s+of)?[\s-]*"
         r"|(?:the\s+)?(?:first|second|last)\s+half\s+of\s+)")
_POD = r"(?:morning|afternoon|evening|night)"
_CLOCK = (r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?!\w)|\d{1,2}:\d\d(?![\d:])|noon|midnight|midday"
          r"|\d{1,2}\s+o'clock)(?:\s+(?:[ECMP][DS]T|GMT|UTC)(?!\w)|\s+local\s+time|\s+\(\d{3,4}\s+GMT\))?")

_PATTERNS = [
    # Explicit calendar dates: "Nov. 19", "Monday, Oct. 26, 1998", "late November 1998", "19 November 2017".
    ("md", r"(?:(?P<wd>" + _WEEKDAY + r"),?\s+)?(?P<mod>" + _MODD + r")?(?P<mon>" + _MONTH + r")\s*(?P<day>" + _DAY
           + r")(?:(?:,\s*|\s+)(?P<yr>" + _YEAR + r"))?"),
    ("dm", r"(?P<day>" + _DAY + r")\s+(?:of\s+)?(?P<mon>" + _MONTH + r")(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
    ("my", r"(?P<mod>" + _MODD + r")?(?:(?P<rel>last|this|next)\s+)?(?P<mon>" + _MONTH + r")(?:,?\s+(?:of\s+)?(?P<yr>" + _YEAR + r")|\s+(?P<yrel>this|last|next)\s+year)?"),
    ("iso", r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    ("mdy", r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)(?![\d/])"),
    ("half", r"(?:the\s+)?(?P<h>first|second|last)\s+half(?:\s+of\s+(?:(?P<yr>" + _YEAR + r")|(?P<rel>this|last|next)\s+year|the\s+year))"),
    ("y", r"(?P<mod>" + _MODD + r")?(?:(?P<fy>fiscal|calendar|financial)(?:\s+year)?[\s-]*)?(?P<yr>" + _YEAR + r")"),
    ("dec", r"(?:the\s+)?(?P<mod>" + _MODD + r")?(?P<dec>(?:1[0-9]|20)\d0|['’]\d0|\d0)['’]?s(?!\w)"),
    ("cent", r"(?:the\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<rel>this|last|next|the\s+past|the\s+last|the\s+next))[\s-]+century"),
    ("q", r"(?:(?:the|this|last|next)\s+)?(?:(?P<qyr>" + _YEAR + r")\s+|(?P<qrel>this|last|next)\s+year's\s+)?"
          r"(?:(?:fiscal|latest|current)[\s-]+)?(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter"
          r"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<qyr2>" + _YEAR + r")|(?P<qrel2>this|last|next)\s+year))?"),
    ("qref", r"(?:the|this)\s+(?:(?P<ref>latest|current|most\s+recent|year-ago|year-earlier|same|comparable|recent)\s+)?"
             r"(?:fiscal\s+)?quarter(?!s|ly)(?P<ago>\s+a\s+year\s+(?:ago|earlier))?"
             r"|(?:the\s+)(?P<ref2>latest|year-ago|year-earlier)\s+period|last\s+year's\s+(?P<ly>quarter)"),
    ("yq", r"the\s+(?P<yr>" + _YEAR + r")\s+(?:fiscal\s+)?(?:quarter|period)(?![\w-])"),
    ("qcode", r"(?P<q>Q[1-4])(?:\s+(?P<qyr>" + _YEAR + r"))?"),
    ("season", r"(?P<mod>" + _MODD + r")?(?:(?P<rel>this|last|next|the|this\s+past)\s+)?(?P<s>spring|summer|fall|autumn|winter)"
               r"(?:\s+(?:of\s+)?(?P<yr>" + _YEAR + r"))?"),
    ("wd", r"(?:(?P<clock>" + _CLOCK + r")\s+(?:on\s+)?)?(?:(?P<rel>last|this|next|this\s+past|early|late|coming|the\s+previous|the\s+following|the\s+next|that)\s+)?"
           r"(?P<wd>" + _WEEKDAY + r")(?P<pl>s)?(?:\s+(?P<pod>" + _POD + r")s?)?"),
    ("rd", r"(?:(?P<mod>late|early)\s+)?(?:(?:mid-?|late\s+|early\s+)?(?P<pod0>" + _POD + r")\s+)?(?P<rel>yesterday|today|tomorrow|tonight)(?:\s+(?P<pod>" + _POD + r"))?"),
    ("pod", r"(?P<rel>this|last|tomorrow|yesterday)\s+(?P<pod>" + _POD + r")"),
    ("clkmd", r"(?P<clock>" + _CLOCK + r"),?\s+(?:on\s+)?(?:(?P<wd>" + _WEEKDAY + r"),?\s+)?(?P<mon>" + _MONTH + r")\s*(?P<day>" + _DAY + r")(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
    ("clk", r"(?P<clock>" + _CLOCK + r")"),
    ("ru", r"(?:(?P<mod>early|late|earlier|later|mid)[\s-]+)?(?:(?P<the>the)\s+)?(?P<rel>this\s+past|this|last|next|past|previous|coming|current|following|same|latest)"
           r"\s+(?P<fis>fiscal\s+|calendar\s+)?(?P<u>week(?:end)?|month|year|decade)(?![\w-])"),
    ("ago", r"(?:(?P<mq>" + _MODQ + r")\s+)?(?P<n>" + _NUM + r")\s+(?P<u>" + _ANYUNIT + r")(?:\s+or\s+so)?\s+"
            r"(?P<dir>ago|earlier|later|before|after|afterwards?|from\s+now|hence|previously|back)(?![\w-])"),
    ("bareago", r"(?P<u>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later)(?!\w)"),
    ("ana", r"(?:(?P<el>earlier|later)\s+)?(?P<det>that|the)\s+(?:very\s+)?(?P<rel>same|previous|next|following|preceding|prior)?\s*"
            r"(?P<u>day|week|weekend|month|year|morning|afternoon|evening|night)(?:\s+(?P<ba>before|after))?(?!\w)"),
    ("yadj", r"the\s+(?:same\s+)?year-(?:earlier|ago)\s+(?:quarter|period)|year-(?:earlier|ago)(?!\w)"),
    ("dur", r"(?:(?P<the>the)\s+(?:(?P<dm>past|last|next|first|final|previous|coming|following|latest|remaining|initial)\s+)?"
            r"|(?P<dm2>past|last|next|first|final|previous|coming|following)\s+)?"
            r"(?:(?P<mq>" + _MODQ + r")\s+)?(?P<n>" + _NUM + r")[\s-]+(?P<u>" + _ANYUNIT + r")(?P<half>\s+and\s+a\s+half)?(?P<old>[\s-]+old)?(?![\w-])"),
    ("nyear", r"(?P<n>" + _NUM + r")-(?P<u>" + _UNIT + r")-(?P<old>old|long)"),
    ("vague", r"(?P<pre>(?:for|within|in|over|after|took|take|takes|lasted|last)\s+)(?P<u>years|months|weeks|days|decades|hours|centuries)(?!\s+(?:of|ago|earlier|later|before|after))(?![\w-])"
              r"|(?P<u2>years|months|weeks|days|decades|hours)-long"),
    ("set", r"(?:every|each)\s+(?:other\s+)?(?:(?P<n>" + _NUM + r")\s+)?(?P<u>" + _ANYUNIT + r"|" + _WEEKDAY + r"|" + _POD + r")"
            r"|(?P<adv>daily|weekly|monthly|yearly|nightly|hourly)(?!\w)"
            r"|(?P<per>per)\s+(?P<pu>" + _UNIT + r")"),
    ("theyear", r"the\s+(?P<q>full\s+|fiscal\s+|calendar\s+|entire\s+|whole\s+)?year(?P<end>\s+(?:ended|ending|to|through))?(?![\w'’-])"),
    ("yend", r"(?:the\s+)?(?P<pt>end|beginning|start|middle|close)\s+of\s+(?P<rel>the|this|last|next)\s+(?P<u>week|month|year|quarter)(?![\w-])"
             r"|(?P<ye>year[-\s]end|year's\s+end)(?!\w)"),
    ("spoken", r"(?:the\s+year\s+)?(?P<c>nineteen)\s+(?P<d>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
               r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)(?![\w-])"
               r"|the\s+year\s+(?P<k>two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)(?!\w)"),
    ("ref", r"(?P<w>now|currently|nowadays|at\s+present|the\s+present|at\s+the\s+moment|current"
            r"|recently|lately|(?:in\s+)?recent\s+(?P<ru>years|months|weeks|days|decades|quarters)|(?:in\s+)?recent\s+times"
            r"|the\s+past|future\s+(?:quarters|years|months|generations)|the\s+(?:near\s+|distant\s+)?future"
            r"|the\s+(?:near|short)[\s-]+term|past\s+years"
            r"|(?:the\s+)?coming\s+(?:days|weeks|months|years|quarters)"
            r"|the\s+(?:next|coming)\s+few\s+(?:days|weeks|months|years))(?![\w-])"),
    ("fest", r"(?P<h>christmas(?:\s+day|\s+eve)?|new\s+year's\s+(?:day|eve)|thanksgiving(?:\s+day)?|easter(?:\s+sunday|\s+week)?)(?!\w)"
             r"(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
]
# Each kind's regex is wrapped so a match never starts or ends inside a word or a hyphenated
# designation ("Tu-22M3", "Su-30SM", "F-16").
_COMPILED = [(kind, re.compile(r"(?<![\w\-/.$#,])(?:" + rx + r")(?![\w\-]\w)(?!-?\d)", re.I)) for kind, rx in _PATTERNS]
_PRIORITY = {kind: i for i, (kind, _) in enumerate(_PATTERNS)}

# Every expression contains a trigger: a word or digit shape of one class below.  Each kind of
# expression runs only in windows around the triggers of its classes, which keeps the tagger fast.
_TRIGGER_CLASSES = {
    "MONTH": "january february march april may june july august september october november december"
             " jan feb mar apr jun jul aug sep sept oct nov dec",
    "WD": "monday tuesday wednesday thursday friday saturday sunday"
          " mondays tuesdays wednesdays thursdays fridays saturdays sundays",
    "UNIT": "second minute hour day night week weekend fortnight month quarter year decade century"
            " seconds minutes hours days nights weeks weekends fortnights months quarters years decades centuries period",
    "REF": "now nowadays present moment current currently recently lately recent past future coming",
    "RD": "yesterday today tomorrow tonight",
    "POD": "morning afternoon evening",  # "night" is a UNIT trigger
    "CLOCK": "noon midnight midday clock",  # "o'clock" is two words to the word regex
    "ADV": "daily weekly monthly yearly nightly hourly",
    "SEASON": "spring summer fall autumn winter",
    "FEST": "christmas thanksgiving easter",
    "SPOKEN": "nineteen thousand",
    "QCODE": "q1 q2 q3 q4",
}
# Words are looked up in a dict (a regex alternation of a hundred words is slow); digit shapes
# have their own small regex.
_TRIGGER_WORDS = {w: name for name, words in _TRIGGER_CLASSES.items() for w in words.split()}
_WORD = re.compile(r"[Qq][1-4](?!\w)|[A-Za-z]+")
_DIGIT_TRIGGER = re.compile(
    r"(?<!\d)(?=\d)(?:(?P<YEAR>(?:1\d|20)\d\d(?!\d))|(?P<DEC>\d?\d?\d0['’]?s\b)|(?P<DIGCLOCK>\d{1,2}(?::\d\d|\s*[ap]\.?m\b))"
    r"|(?P<SLASH>\d+/\d)|(?P<ISO>\d{4}-\d\d-\d))",
    re.I)
# The trigger classes each kind of expression needs one of.
_KIND_TRIGGERS = {
    "md": ("MONTH",), "dm": ("MONTH",), "my": ("MONTH",), "iso": ("ISO",), "mdy": ("SLASH",),
    "y": ("YEAR",), "dec": ("DEC", "YEAR"), "cent": ("UNIT",), "q": ("UNIT",), "qref": ("UNIT",), "qcode": ("QCODE",),
    "half": ("UNIT", "YEAR"), "season": ("SEASON",), "wd": ("WD",), "rd": ("RD",), "pod": ("POD", "UNIT"),
    "clk": ("CLOCK", "DIGCLOCK"), "clkmd": ("MONTH",), "yq": ("UNIT",), "ru": ("UNIT",), "ago": ("UNIT",), "bareago": ("UNIT",), "ana": ("UNIT", "POD"),
    "yadj": ("UNIT",), "dur": ("UNIT",), "nyear": ("UNIT",), "vague": ("UNIT",), "set": ("UNIT", "WD", "POD", "ADV"),
    "theyear": ("UNIT",), "yend": ("UNIT",), "spoken": ("SPOKEN",), "ref": ("REF", "UNIT"), "fest": ("FEST",),
}
_WINDOW_BEFORE, _WINDOW_AFTER = 60, 60
_SPACE = re.compile(r"\s")

# Words that mean an expression looks ahead of the anchor ("will meet on Nov. 25").
_AHEAD = re.compile(r"\b(?:will|'ll|shall|would|ahead\s+of|next|upcoming|coming|scheduled|due|expected\s+to|plans?\s+to|planned|is\s+to|are\s+to"
                    r"|set\s+to|going\s+to|until|till|starting|effective|takes?\s+effect|from\s+now|tomorrow|payable|expires?|expiring"
                    r"|of\s+record|extended\s+to|deadline|planned\s+to|planning\s+to|as\s+(?:soon|early)\s+as|no\s+later\s+than|postponed\s+(?:to|until)|adjourned\s+until|to\s+be\s+\w+ed)\b", re.I)
_FUTURE_MORE = re.compile(r"\b(?:would|'d|may|might|to\s+be\s+\w+ed|to\s+(?:begin|start|take|hold|meet|visit|vote|decide|announce|complete"
                          r"|close|acquire|buy|sell|pay|redeem|expire|end|return|resume|leave|travel|join|submit|respond|rule|hear"
                          r"|testify|open|release|launch|sign|attend|issue|conclude|report|consider|review|receive|reach|mark|hand"
                          r"|keep|admit|overturn|hold|run|seek|file|appeal|appear|become))\b")
# Past-tense verbs: common irregular ones and lowercase "-ed" words (the "-ed" words that announce a plan are cut out below).
# Reporting verbs ("said", "told", "announced") date the report, not the event, so they are no cue.
_PAST = re.compile(r"\b(?:was|were|had|did|fell|rose|began|took|came|went|made|found|struck|killed|died|left|won|lost|met|held"
                   r"|saw|became|broke|fought|gave|ran|sank|shot|stood|brought|bought|sold|paid|thought|caught|sought|led|fled|spent|sent"
                   r"|built|kept|chose|drove|spoke|wrote|grew|drew|threw|knew|flew|got|[a-z]{2,}ed)\b")
_NOT_PAST = re.compile(r"(?:scheduled|expected|planned|extended|postponed|delayed|proposed|needed|intended|slated|adjourned"
                       r"|required|based|limited|related|owned|listed|united|anticipated|estimated|projected|targeted"
                       r"|forecasted|budgeted|unspecified|guaranteed|called|need|feed|seed|speed|proceed|exceed|succeed|indeed|bleed|breed"
                       r"|greed|weed|shed|bred|fled|announced|reported|claimed|stated|added|declared|noted|disclosed|confirmed)")
# An "-ed" word followed by "by" or by a noun it modifies is a participle ("tendered by", "preferred shares").
_ADJECTIVAL = re.compile(r"\s+(?:by\b|(?!(?:the|a|an|his|her|its|their|on|in|at|to|for|from|with|into|out|up|down|off|over|last"
                         r"|this|that|after|before|and|or|but|as|when|since|until|early|late|earlier|later)\b)[a-z])")
_PASSIVE = re.compile(r"\b(?:be|been|being|is|are|am|will|would|to|not|n't)\s+$", re.I)
# A preposition right before a date that puts it ahead ("by Jan. 14", "until March 6") or behind ("since May").
_PREP_AHEAD = re.compile(r"\b(?:by|until|till|before|starting|effective|from\s+now\s+to)\s+(?:the\s+)?$", re.I)
_PREP_PAST = re.compile(r"\b(?:since|last|ended|ending)\s+$", re.I)
_SAID = re.compile(r"\b(?:said|says|told|announced|reported|claimed|stated|added|declared)\b", re.I)
_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Rep|Sen|Gov|St|Jr|Sr|Co|Corp|Inc|Ltd|No|U\.S|U\.N|Jan|Feb"
                     r"|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx))$")
_MONEY_BEFORE = re.compile(r"(?:\$|€|£|\d|million|billion|percent|%|once|twice|thrice|times|cents?|dollars?|barrels?|tons?)\s*$", re.I)
_COUNT_AFTER = re.compile(r"\s*(?:%|percent|per\s*cent|pct|people|persons|troops|soldiers|civilians|fighters|militants|men|women|children"
                          r"|km|kilomet|miles|meters|metres|feet|tons|tonnes|rounds|dead|killed|wounded|casualties|units|homes|families"
                          r"|bombers|aircraft|planes|jets|tanks|vehicles|rockets|missiles|shells|\d)", re.I)
_BARE_MONTH_OK = re.compile(r"(?:\b(?:in|since|until|till|by|from|through|to|during|of|last|next|this|early|late|mid|before|after|on|end|and|or)\s*|-)$", re.I)


def _anchor_date(anchor) -> dt.date | None:
    """Return the anchor as a date, None when missing or unreadable: _anchor_date('2017-11-19') == date(2017, 11, 19)."""
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


def _windows(text: str) -> dict[str, list[list[int]]]:
    """Return, per trigger class, the merged [lo, hi) windows around its triggers in text."""
    raw: dict[str, list[list[int]]] = {}
    n = len(text)
    hits = [(t.start(), t.end(), _TRIGGER_WORDS.get(t.group().lower())) for t in _WORD.finditer(text)]
    hits = [h for h in hits if h[2]]
    hits.extend((t.start(), t.end(), t.lastgroup) for t in _DIGIT_TRIGGER.finditer(text))
    hits.sort()
    for start, end, cls in hits:
        lo, hi = max(0, start - _WINDOW_BEFORE), end + _WINDOW_AFTER
        if hi < n:
            cut = _SPACE.search(text, hi)  # end windows at whitespace so no word is cut in two
            hi = cut.start() if cut else n
        else:
            hi = n
        segs = raw.setdefault(cls, [])
        if segs and lo <= segs[-1][1]:
            segs[-1][1] = max(segs[-1][1], hi)
        else:
            segs.append([lo, hi])
    return raw


def _merged(per_class: dict[str, list[list[int]]], classes: tuple[str, ...]) -> list[list[int]]:
    """Return the union of the windows of several trigger classes, sorted and merged."""
    segs = sorted(w for c in classes for w in per_class.get(c, ()))
    out: list[list[int]] = []
    for lo, hi in segs:
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def _candidates(text: str) -> list[tuple[int, int, str, re.Match, list]]:
    """Return non-overlapping pattern matches, longest first where they compete, in text order; each
    carries the shorter matches inside it, to fall back on when its handler rejects it."""
    per_class = _windows(text)
    found = []
    for kind, rx in _COMPILED:
        classes = _KIND_TRIGGERS[kind]
        segs = per_class.get(classes[0], ()) if len(classes) == 1 else _merged(per_class, classes)
        prio = _PRIORITY[kind]
        for lo, hi in segs:
            for m in rx.finditer(text, lo, hi):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), prio, kind, m))
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    chosen: list[tuple[int, int, str, re.Match, list]] = []
    starts: list[int] = []  # chosen spans kept sorted by start, for a bisect overlap test
    for start, end, prio, kind, m in found:
        k = bisect.bisect_right(starts, start)
        if k and chosen[k - 1][1] > start:
            prev = chosen[k - 1]
            if prev[0] <= start and end <= prev[1]:
                prev[4].append((start, end, kind, m))  # inside a longer match: a fallback
            continue
        if k < len(chosen) and chosen[k][0] < end:
            continue
        starts.insert(k, start)
        chosen.insert(k, (start, end, kind, m, []))
    return chosen


class _Context:
    """Per-text state the handlers share: the anchor, the text, earlier timexes."""

    def __init__(self, text: str, anchor: dt.date | None):
        self.text = text
        self.anchor = anchor
        self.done: list[dict] = []
        self.last_quarter: tuple[int, int, int] | None = None  # (year, quarter, offset) of the last quarter named

    def sentence_start(self, pos: int) -> int:
        """Return the offset where the sentence holding pos begins."""
        lo = max(0, pos - 1500)
        start = lo
        for m in _SENT_END.finditer(self.text, lo, pos):
            if m.group(0).startswith(("\n",)) or not _ABBREV.search(self.text[max(0, m.start() - 6):m.start()]):
                start = m.end()
        return start

    def before(self, pos: int, words: int = 6) -> str:
        """Return up to `words` words before pos within its sentence."""
        seg = self.text[self.sentence_start(pos):pos]
        return " ".join(seg.split()[-words:])

    def says_ahead(self, pos: int) -> bool:
        """Return True when the words just before pos put the expression ahead of the anchor."""
        window = self.before(pos)
        m = None
        for m in _AHEAD.finditer(window):
            pass
        return bool(m) and not _SAID.search(window[m.end():])

    def tense(self, start: int, end: int) -> str | None:
        """Return 'future' or 'past' from the cue nearest the expression in its sentence (a modal, a
        deadline word, a past-tense verb), None when the sentence gives none."""
        lo = self.sentence_start(start)
        stop = _SENT_END.search(self.text, end, min(len(self.text), end + 300))
        hi = stop.start() if stop else min(len(self.text), end + 300)
        just_before = self.text[max(lo, start - 12):start]
        if _PREP_AHEAD.search(just_before):
            return "future"
        if _PREP_PAST.search(just_before):
            return "past"
        best, best_dist = None, None
        for rx, label in ((_AHEAD, "future"), (_FUTURE_MORE, "future"), (_PAST, "past")):
            for m in rx.finditer(self.text, lo, hi):
                if label == "past" and (_NOT_PAST.fullmatch(m.group(0).lower())
                                        or _PASSIVE.search(self.text, max(lo, m.start() - 14), m.start())
                                        or (m.group(0).endswith("ed") and _ADJECTIVAL.match(self.text, m.end()))):
                    continue  # "will be repatriated", "preferred shares": a participle, not a past tense
                dist = start - m.end() if m.end() <= start else (m.start() - end if m.start() >= end else -1)
                if dist < 0:
                    continue
                if m.start() >= end:
                    dist += 15  # a cue before the expression governs it more often than one after
                if best_dist is None or dist < best_dist:
                    best, best_dist = label, dist
        return best

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
                        if re.fullmatch(r"\d{4}-W\d\d", r):
                            return dt.date.fromisocalendar(int(r[:4]), int(r[6:8]), 1)
                        return dt.date(int(r[:4]), int(r[5:7]) if len(r) >= 7 and r[5:7].isdigit() else 1,
                                       int(r[8:10]) if len(r) >= 10 else 1)
                    except ValueError:
                        continue
        return self.anchor

    def reference(self, pos: int) -> dt.date | None:
        """Return the date anaphoric phrases count from: the last explicit day in the sentence, else the anchor."""
        start = self.sentence_start(pos)
        for t in reversed(self.done):
            if t["start"] < start:
                break
            if t.get("_explicit") and t["precision"] == "day" and t["resolved"]:
                return dt.date.fromisoformat(t["resolved"][:10])
        return self.anchor


def _month_number(word: str) -> int | None:
    return R.MONTHS.get(word.lower()[:3])


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _year_of(s: str | None) -> int | None:
    return int(s) if s else None


def _day_value(ctx: _Context, month: int, day: int, year: int | None, start: int, end: int) -> str | None:
    """Return 'YYYY-MM-DD' for a month-day, choosing the year per SPEC; None for an impossible date."""
    if year is not None:
        d = R.safe_date(year, month, day)
        return d.isoformat() if d else None
    if R.safe_date(2000, month, day) is None:  # 2000 is a leap year: rejects only Nov. 31 and the like
        return None
    if ctx.anchor is None:
        return f"XXXX-{month:02d}-{day:02d}"
    d = _near_date(ctx, R.latest_on_or_before(ctx.anchor, month, day), R.earliest_after(ctx.anchor, month, day), start, end)
    return d.isoformat() if d else None


# How far ahead of the anchor an undated day or month may lie and still be read as coming when the
# sentence gives no tense: news writes "Nov. 10" a week before it for the coming one.
_NEAR_AHEAD_DAYS = 92
_FAR_AHEAD_DAYS = 300  # beyond this, "Oct. 23" in a Nov. 1 story is last month's, whatever the tense


def _near_date(ctx: _Context, behind: dt.date | None, ahead: dt.date | None, start: int, end: int) -> dt.date | None:
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


def _month_value(ctx: _Context, month: int, year: int | None, rel: str | None, start: int, end: int) -> str | None:
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
    elif rel == "this":
        y = a.year
    elif month == a.month:
        y = a.year
    else:
        behind = dt.date(a.year if month < a.month else a.year - 1, month, 1)
        ahead = dt.date(a.year if month > a.month else a.year + 1, month, 1)
        y = _near_date(ctx, behind, ahead, start, end).year
    return f"{y:04d}-{month:02d}"


def _weekday_value(ctx: _Context, wd: int, rel: str | None, start: int) -> str | None:
    if ctx.anchor is None:
        return f"XXXX-WXX-{wd + 1}"
    rel = " ".join((rel or "").lower().split())
    if rel in ("the previous", "the following", "the next", "that"):
        # tied to a day the sentence names ("the previous Friday"), else to the anchor
        base = ctx.reference(start) or ctx.anchor
        d = R.weekday_near(base, wd, {"the previous": "before", "that": "back"}.get(rel, "after"))
        return d.isoformat() if d else None
    if rel == "next":
        direction = "after"
    elif rel in ("last", "this past"):
        direction = "before"
    elif rel == "coming" or ctx.says_ahead(start):
        direction = "ahead"
    else:
        direction = "back"
    d = R.weekday_near(ctx.anchor, wd, direction)
    return d.isoformat() if d else None


def _shifted(base: dt.date | None, unit: str, n: int, fmt_unit: str | None = None) -> str | None:
    if base is None:
        return None
    d = R.shift(base, unit, n)
    return R.format_at(d, fmt_unit or unit) if d else None


def _clock_suffix(clock: str) -> str | None:
    """Return the 'Thh:mm' part of a clock time, e.g. _clock_suffix('9 p.m.') == 'T21:00'."""
    c = clock.lower()
    if "noon" in c or "midday" in c:
        return "T12:00"
    if "midnight" in c:
        return "T24:00"
    m = re.match(r"(\d{1,2})(?::(\d\d))?", c)
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


# ---------------------------------------------------------------- handlers
# Each returns (type, value) or None to reject; some may adjust the extent via "_span".

def _h_md(ctx, m):
    mon, day = m.group("mon"), m.group("day")
    if not _capitalised(mon):
        return None
    v = _day_value(ctx, _month_number(mon), int(re.match(r"\d+", day).group()), _year_of(m.group("yr")), m.start(), m.end())
    return ("DATE", v) if v else None


_h_dm = _h_md


def _h_my(ctx, m):
    mon = m.group("mon")
    if not _capitalised(mon) or mon.endswith("."):
        return None
    if not re.fullmatch(_FULL_MONTH, mon, re.I) and not m.group("yr"):
        return None
    # "May" and "March" are also a verb and a noun: alone, they need a date-like neighbour.
    if (mon.lower() in ("may", "march") and not m.group("yr") and not m.group("mod") and not m.group("rel")
            and not _BARE_MONTH_OK.search(ctx.text[max(0, m.start() - 12):m.start()])):
        return None
    year = _year_of(m.group("yr"))
    if m.group("yrel") and ctx.anchor:  # "October this year", "March last year"
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m.group("yrel").lower()]
    v = _month_value(ctx, _month_number(mon), year, m.group("rel"), m.start(), m.end())
    return ("DATE", v) if v else None


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
        if re.search(r"(?:[$#€£]|No\.?|,)\s*$", prev):
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
    year = _year_of(m.group("qyr") or m.group("qyr2"))
    v = _quarter_value(ctx, q, year, m.group("qrel") or m.group("qrel2"))
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
    if ref.startswith("year-") or m.group("ago") or m.group("ly"):
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
    v = _quarter_value(ctx, q, _year_of(m.group("qyr")), None)
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
        return ("DATE", f"{m.group('yr')}-{s}")
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
    if not _capitalised(wd_word):
        return None
    wd = R.WEEKDAYS[wd_word.lower()[:3]]
    pod = m.group("pod")
    if m.group("pl"):
        return ("SET", f"XXXX-WXX-{wd + 1}" + (f"T{R.PARTS_OF_DAY[pod.lower()]}" if pod else ""))
    rel = m.group("rel")
    v = _weekday_value(ctx, wd, rel if rel and rel.lower() not in ("early", "late") else None, m.start())
    if v is None:
        return None
    if m.group("clock"):
        suffix = _clock_suffix(m.group("clock"))
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
    v = _shifted(ctx.anchor, "D", n)
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
    v = _shifted(ctx.anchor, "D", n)
    return ("TIME", f"{v}T{R.PARTS_OF_DAY[pod]}") if v else None


def _h_clkmd(ctx, m):
    """'5 p.m. EST Nov. 9': the clock time on that day."""
    suffix = _clock_suffix(m.group("clock"))
    mon = m.group("mon")
    if suffix is None or not _capitalised(mon):
        return None
    v = _day_value(ctx, _month_number(mon), int(re.match(r"\d+", m.group("day")).group()), _year_of(m.group("yr")),
                   m.start(), m.end())
    return ("TIME", v + suffix) if v else None


def _h_clk(ctx, m):
    suffix = _clock_suffix(m.group("clock"))
    if suffix is None:
        return None
    if re.fullmatch(r"\d{1,2}:\d\d", m.group(0)) and not re.search(r"\b(?:at|by|from|until|about|around)\s*$", ctx.text[max(0, m.start() - 8):m.start()], re.I):
        return None  # a bare "3:45" is as often a score or a ratio
    base = ctx.reference(m.start())
    return ("TIME", (base.isoformat() if base else "XXXX-XX-XX") + suffix)


_REL_SHIFT = {"this": 0, "current": 0, "latest": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "this past": -1,
              "next": 1, "coming": 1, "following": 1}


def _h_ru(ctx, m):
    rel = " ".join(m.group("rel").lower().split())
    u = R.unit_of(m.group("u"))
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
        v = _shifted(base, "W", n, "WE")
        return ("DATE", v) if v else None
    v = _shifted(base, u, n)
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
    v = _shifted(base, u, int(sign * n))
    return ("DATE", v) if v else None


def _h_bareago(ctx, m):
    sign = -1 if m.group("dir").lower() in ("ago", "earlier") else 1
    return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")


def _h_ana(ctx, m):
    det, rel, el = m.group("det").lower(), (m.group("rel") or "").lower(), m.group("el")
    word = m.group("u").lower()
    ba = (m.group("ba") or "").lower()
    if det == "the" and not rel and not ba and word != "weekend":
        return None  # "the day" alone is too often generic
    if det == "the" and word == "weekend" and not rel and not ba and not el:
        if ctx.anchor is None:
            return ("DATE", "XXXX-WXX-WE")
        back = 0 if ctx.anchor.weekday() >= 5 or ctx.says_ahead(m.start()) else -1  # the weekend just gone, on a weekday
        return ("DATE", _shifted(ctx.anchor, "W", back, "WE"))
    if det == "that" and not rel and not el and word not in ("day", "night", "morning", "evening", "afternoon"):
        return None
    if rel == "" and ba:
        rel = "previous" if ba == "before" else "next"
    n = {"same": 0, "": 0, "previous": -1, "preceding": -1, "prior": -1, "next": 1, "following": 1}[rel]
    base = ctx.reference(m.start())
    if word in ("week", "month", "year"):
        base = ctx.reference_period(m.start(), R.unit_of(word))
    if word in R.PARTS_OF_DAY:
        v = _shifted(base, "D", n) if base else "XXXX-XX-XX"
        return ("TIME", f"{v}T{R.PARTS_OF_DAY[word]}") if v else None
    u = R.unit_of(word)
    if base is None:
        return ("DATE", "XXXX-XX-XX")
    v = _shifted(base, "W" if u == "WE" else u, n, u)
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
    word = m.group("u")
    if re.fullmatch(_WEEKDAY + "s?", word, re.I):
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
    if w in ("now", "currently", "nowadays", "at present", "the present", "at the moment", "current"):
        if w == "current" and re.match(r"\s+(?:account|affairs|events|flows?|prices?)\b", ctx.text[m.end():m.end() + 12], re.I):
            return None
        return ("DATE", "PRESENT_REF")
    if "future" in w or "coming" in w or "term" in w or w.startswith("the next"):
        return ("DATE", "FUTURE_REF")
    return ("DATE", "PAST_REF")


def _h_fest(ctx, m):
    h = " ".join(m.group("h").lower().split())
    if not _capitalised(m.group("h")):
        return None
    year = _year_of(m.group("yr"))

    def on(y):
        if h.startswith("christmas"):
            return R.safe_date(y, 12, 24 if h.endswith("eve") else 25)
        if h.startswith("new year"):
            return R.safe_date(y, 12, 31) if h.endswith("eve") else R.safe_date(y, 1, 1)
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
        if d and d > ctx.anchor:
            d = _near_date(ctx, on(year - 1), d, m.start(), m.end())
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
    v = _shifted(ctx.anchor, u, {"the": 0, "this": 0, "last": -1, "next": 1}[m.group("rel").lower()])
    return ("DATE", v) if v else None


def _h_spoken(ctx, m):
    if m.group("k"):
        return ("DATE", f"{2000 + int(R.parse_number(m.group('k').lower().replace('two thousand', '').strip() or '0') or 0):04d}")
    d = R.parse_number(m.group("d"))
    return ("DATE", f"{1900 + int(d):04d}") if d is not None and d < 100 else None


_HANDLERS = {kind: globals()["_h_" + kind] for kind, _ in _PATTERNS}
# Kinds whose date is written out: anaphora ("a day earlier") counts from these.
_EXPLICIT = {"md", "dm", "iso", "mdy", "wd", "fest", "rd", "clkmd"}


def _handled(ctx: _Context, kind: str, m: re.Match):
    """Return the handler's (type, value, ...) for a match, None when it rejects it or fails."""
    try:
        res = _HANDLERS[kind](ctx, m)
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
    ctx = _Context(text, _anchor_date(anchor))
    out = []
    for start, end, kind, m, inner in _candidates(text):
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
        t = {"start": start, "end": end, "text": text[start:end], "type": type_, "value": value,
             "resolved": R.resolved_of(value, type_, ctx.anchor), "precision": "none"}
        t["precision"] = R.precision_of(value) if t["resolved"] else "none"
        t["_explicit"] = kind in _EXPLICIT
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
