"""Recognition for the temporal tagger: the TimeML expression patterns and the candidate scan.

Each kind of expression ("md" for "Nov. 19", "ago" for "two days ago", ...) is one regular
expression; `candidates(text)` runs each kind only in windows around its trigger words (month
names, units, weekdays, year-like digits), keeps the longest match where matches overlap and
hands each survivor over with the shorter matches inside it, e.g. in "Monday, Nov. 9" the whole
phrase wins over "Monday" and "Nov. 9".  Normalising a match is `analysis.timex_handlers`' job.
"""
from __future__ import annotations

import bisect
import itertools
import re
import re._constants as sre  # re's own parser (Python >= 3.11), to read the openings of a pattern
import re._parser as re_parser

from analysis.wordtrie import EdgeLed, alternation, trie_source

# ---------------------------------------------------------------- building blocks
def _words(words: str) -> str:
    """Return a regex source for any of the space-separated words ('_' for a run of spaces), as a
    trie (Python's re tries a flat alternation branch by branch at every position)."""
    return alternation((w.replace("_", " ") for w in words.split()), space=r"\s+")


# A month name may take a possessive ("December's figures"), never another letter.
FULL_MONTH = _words("january february march april may june july august september october november december")
MONTH = ("(?:" + FULL_MONTH + "|" + _words("jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sept sept. sep sep."
                                             " oct oct. nov nov. dec dec.") + r")(?!\w)(?!['’](?!s\b))")
WEEKDAY = _words("monday tuesday wednesday thursday friday saturday sunday")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)(?!,\d)(?!\.\d)"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)(?![\d\w])(?!\.\d)"
_ONES = _words("one two three four five six seven eight nine")
_TENS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
_TEENS = _words("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
_SPOKEN_YEAR = r"nineteen[\s-]+(?:" + _TEENS + "|" + _TENS + r"(?:[- ]" + _ONES + r")?)(?![\w-])"
_NUMWORD = r"(?:" + _TENS + r"(?:[- ]" + _ONES + r")?|" + _words("one two three four five six seven eight nine ten eleven twelve"
                                                                  " thirteen fourteen fifteen sixteen seventeen eighteen nineteen") \
    + r"|(?:a|one|two|three)\s+hundred)"
_NUM = (r"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|" + _NUMWORD + r"(?:\s+and\s+a\s+half)?"
        r"|(?:a\s+)?couple\s+of|a\s+few|several|few|many|some|a\s+dozen|dozens\s+of|hundreds\s+of|an?)")
_UNIT = _words("second minute hour day night week weekend fortnight month quarter year decade century")
_UNITS = _words("seconds minutes hours days nights weeks weekends fortnights months quarters years decades centuries")
_ANYUNIT = _words("second minute hour day night week weekend fortnight month quarter year decade century"
                  " seconds minutes hours days nights weeks weekends fortnights months quarters years decades centuries")
_MODQ = _words("about around approximately nearly almost roughly some more_than less_than fewer_than"
               " over under at_least at_most just only barely up_to well_over exactly")
_MODD = (r"(?:(?:the\s+)?(?:very\s+)?(?:early|late|mid|middle|end|beginning|start)(?:\s+of)?[\s-]*"
         r"|(?:the\s+)?(?:first|second|last)\s+half\s+of\s+)")
_POD = _words("morning afternoon evening night")
_CLOCK = (r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?!\w)|\d{1,2}:\d\d(?![\d:])|noon|midnight|midday"
          r"|\d{1,2}\s+o'clock)(?:\s+(?:[ECMP][DS]T|GMT|UTC)(?!\w)|\s+local\s+time|\s+\(\d{3,4}\s+GMT\))?")

PATTERNS = [
    # Explicit calendar dates: "Nov. 19", "Monday, Oct. 26, 1998", "late November 1998", "19 November 2017".
    ("md", r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?(?P<mod>" + _MODD + r")?(?P<mon>" + MONTH + r")\s*(?P<day>" + _DAY
           + r")(?:(?:,\s*|\s+)(?P<yr>" + _YEAR + r"))?"),
    ("dm", r"(?P<day>" + _DAY + r")\s+(?:of\s+)?(?P<mon>" + MONTH + r")(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
    ("my", r"(?P<mod>" + _MODD + r")?(?:(?P<rel>last|this|next)\s+)?(?P<mon>" + MONTH + r")(?:,?\s+(?:of\s+)?(?P<yr>" + _YEAR + r")|\s+(?P<yrel>this|last|next)\s+year"
           r"|\s+(?:of\s+)?(?P<syr>" + _SPOKEN_YEAR + r"))?"),
    ("weekof", r"the\s+week\s+of\s+(?P<mon>" + MONTH + r")\s*(?P<day>" + _DAY + r")(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
    ("iso", r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    ("mdy", r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)(?![\d/])"),
    ("half", r"(?:the\s+)?(?P<h>first|second|last)\s+(?:half|two\s+quarters)(?:\s+of\s+(?:(?P<yr>" + _YEAR + r")|(?P<rel>this|last|next)\s+year|the\s+year))"),
    ("y", r"(?P<mod>" + _MODD + r")?(?:(?P<fy>fiscal|calendar|financial)(?:\s+year)?[\s-]*)?(?P<yr>" + _YEAR + r")"),
    ("dec", r"(?:the\s+)?(?P<mod>" + _MODD + r")?(?P<dec>(?:1[0-9]|20)\d0|['’]\d0|\d0)['’]?s(?!\w)"),
    ("cent", r"(?:the\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<rel>this|last|next|the\s+past|the\s+last|the\s+next))[\s-]+century"),
    ("q", r"(?:(?:the|this|last|next)\s+)?(?:(?:comparable|corresponding|same)\s+)?(?:(?P<qyr>" + _YEAR + r")\s+|(?P<qrel>this|last|next)\s+year's\s+|(?P<qago>year-(?:ago|earlier))\s+)?"
          r"(?:(?:fiscal|latest|current)[\s-]+)?(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter"
          r"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<qyr2>" + _YEAR + r")|(?P<qrel2>this|last|next)\s+year))?"),
    ("qref", r"(?:the|this|that)\s+(?:(?:comparable|corresponding)\s+)?(?:(?P<ref>latest|current|most\s+recent|year-ago|year-earlier|same|comparable|recent)\s+)?"
             r"(?:fiscal\s+)?quarter(?!s|ly)(?P<ago>\s+a\s+year\s+(?:ago|earlier))?"
             r"|(?:the\s+)(?P<ref2>latest|year-ago|year-earlier)\s+period|last\s+year's\s+(?P<ly>quarter)"
             r"|the\s+(?:same|corresponding|comparable)\s+period\s+(?P<ly2>last\s+year|a\s+year\s+(?:ago|earlier))"),
    ("yq", r"the\s+(?P<yr>" + _YEAR + r")\s+(?:fiscal\s+)?(?:quarter|period)(?![\w-])"),
    ("qcode", r"(?P<q>Q[1-4])(?:\s+(?P<qyr>" + _YEAR + r"))?"),
    ("season", r"(?P<mod>" + _MODD + r")?(?:(?P<rel>this|last|next|the|this\s+past)\s+)?(?P<s>spring|summer|fall|autumn|winter)"
               r"(?:\s+(?:of\s+)?(?P<yr>" + _YEAR + r"|" + _SPOKEN_YEAR + r"))?"),
    ("wd", r"(?:(?P<clock>" + _CLOCK + r")\s+(?:on\s+)?)?(?:(?P<rel>last|this|next|this\s+past|early|late|coming|the\s+previous|the\s+following|the\s+next|that)\s+)?"
           r"(?P<wd>" + WEEKDAY + r")(?P<pl>s)?(?:\s+(?P<pod>" + _POD + r")s?)?"),
    ("rd", r"(?:(?P<mod>late|early)\s+)?(?:(?:mid-?|late\s+|early\s+)?(?P<pod0>" + _POD + r")\s+)?(?P<rel>yesterday|today|tomorrow|tonight)(?:\s+(?P<pod>" + _POD + r"))?"),
    ("pod", r"(?P<rel>this|last|tomorrow|yesterday)\s+(?P<pod>" + _POD + r")"),
    ("clkmd", r"(?P<clock>" + _CLOCK + r"),?\s+(?:on\s+)?(?:(?P<wd>" + WEEKDAY + r"),?\s+)?(?P<mon>" + MONTH + r")\s*(?P<day>" + _DAY + r")(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
    ("clk", r"(?P<clock>" + _CLOCK + r")"),
    ("ru", r"(?:(?P<mod>early|late|earlier|later|mid)[\s-]+)?(?:(?P<the>the)\s+)?(?P<rel>this\s+past|this|last|next|past|previous|coming|current|following|same|latest)"
           r"\s+(?P<fis>fiscal\s+|calendar\s+)?(?P<u>week(?:end)?|month|year|decade)(?![\w-])"),
    ("ago", r"(?:(?P<mq>" + _MODQ + r")\s+)?(?P<n>" + _NUM + r")\s+(?P<u>" + _ANYUNIT + r")(?:\s+or\s+so)?\s+"
            r"(?P<dir>ago|earlier|later|before|after|afterwards?|from\s+now|hence|previously|back)(?![\w-])"),
    ("bareago", r"(?P<u>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later)(?!\w)"),
    ("ana", r"(?:(?P<el>earlier|later)\s+)?(?P<det>that|the)\s+(?:very\s+)?(?P<rel>same|previous|next|following|preceding|prior)?\s*"
            r"(?P<u>day|week|weekend|month|year|morning|afternoon|evening|night)(?:\s+(?P<ba>before|after))?(?!\w)"),
    ("yadj", r"the\s+(?:same\s+)?year-(?:earlier|ago)\s+(?:quarter|period)|year-(?:earlier|ago)(?!\w)"),
    ("dur", r"(?:(?P<the>the)\s+(?:(?P<dm>past|last|next|first|final|previous|coming|following|latest|remaining|initial|year-earlier|year-ago)\s+)?"
            r"|(?P<dm2>past|last|next|first|final|previous|coming|following)\s+)?"
            r"(?:(?P<mq>" + _MODQ + r")\s+)?(?P<n>" + _NUM + r")(?:\s+(?:more|additional|further|extra)|\s+(?:trading|business|working)(?=\s+days?\b))?"
            r"[\s-]+(?P<u>" + _ANYUNIT + r")(?P<half>\s+and\s+a\s+half)?(?P<old>[\s-]+old)?(?![\w-])"),
    ("nyear", r"(?P<n>" + _NUM + r")-(?P<u>" + _UNIT + r")-(?P<old>old|long)"),
    ("vague", r"(?P<pre>(?:for|within|in|over|after|took|take|takes|lasted|last)\s+)(?P<u>years|months|weeks|days|decades|hours|centuries)(?!\s+(?:of|ago|earlier|later|before|after))(?![\w-])"
              r"|(?P<u2>years|months|weeks|days|decades|hours)-long"),
    ("set", r"(?:every|each)\s+(?:other\s+)?(?:(?P<n>" + _NUM + r")\s+)?(?P<u>" + _ANYUNIT + r"|" + WEEKDAY + r"|" + _POD + r")"
            r"|(?:every|each)\s+(?P<smon>" + FULL_MONTH + r"|spring|summer|fall|autumn|winter)(?![\w-])"
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
            r"|the\s+(?:near|short|long)[\s-]+term(?=\s*[.,;:!?)\"'”’]|\s+(?:and|but|or)\b)|past\s+years"
            r"|(?:a|some)\s+(?:later|future)\s+date|these\s+days"
            r"|(?:the\s+)?coming\s+(?:days|weeks|months|years|quarters)"
            r"|the\s+(?:next|coming)\s+few\s+(?:days|weeks|months|years))(?![\w-])"),
    ("decw", r"the\s+(?P<mod>" + _MODD + r")?(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)(?![\w-])"),
    ("podmod", r"(?P<mod>mid|late|early)[\s-]*(?P<pod>morning|afternoon|evening)(?![\w-])"),
    ("ahead", r"the\s+(?P<u>days|weeks|months|years|decades)\s+ahead(?![\w-])"),
    ("inthe", r"(?P<el>earlier|later)\s+in\s+the\s+(?P<u>day|week|month|year)(?![\w'’-])"),
    ("overyears", r"(?:over|through|throughout)\s+(?P<x>the\s+(?P<u>years|decades|centuries))(?![\w'’-])"),
    ("while", r"(?:for|in|after)\s+(?P<x>a\s+(?:little\s+|long\s+|short\s+)?while)(?![\w-])"),
    ("nthday", r"(?P<x>the\s+(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
               r"|\d{1,3}(?:st|nd|rd|th))\s+(?:straight\s+|consecutive\s+)?day)(?=\s+(?:of|in|since)\b)"),
    ("then", r"(?:until|till|by)\s+(?P<then>then)(?![\w-])"),
    ("prepost", r"(?:pre|post)-(?P<yr>" + _YEAR + r")"),
    ("andday", r"(?:and|or)\s+(?P<day>" + _DAY + r")(?![\w-])"),
    ("daywd", r"the\s+day\s+(?P<ba>before|after)\s+(?:(?P<rel>last|this|next)\s+)?(?P<wd>" + WEEKDAY + r")"),
    ("fest", r"(?P<h>christmas(?:\s+day|\s+eve)?|new\s+year's\s+(?:day|eve)|thanksgiving(?:\s+day)?|easter(?:\s+sunday|\s+week)?|election\s+day)(?!\w)"
             r"(?:,?\s+(?P<yr>" + _YEAR + r"))?"),
]
# Each kind's regex is wrapped so a match never starts or ends inside a word or a hyphenated
# designation ("Tu-22M3", "Su-30SM", "F-16").
_NOT_AFTER = r"\-/.$#,"  # with \w: the characters a match never starts right after
_COMPILED = [(kind, re.compile(r"(?<![\w" + _NOT_AFTER + r"])(?:" + rx + r")(?![\w\-]\w)(?!-?\d)", re.I)) for kind, rx in PATTERNS]


def lowercased(pattern: re.Pattern) -> re.Pattern:
    r"""Return a case-sensitive copy of a re.I pattern with its letters lowercased (escapes and group
    names kept), which finds on text.lower() the matches the pattern finds on a plain text.  It opens
    with a look-ahead for the first characters every match begins with (see _openings) when known;
    e.g. lowercased(re.compile(r"(?P<tz>GMT)\s", re.I)).pattern == r"(?=gmt)(?:(?P<tz>gmt)\s)"."""
    source = re.sub(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[A-Z]",
                    lambda m: m.group().lower() if len(m.group()) == 1 else m.group(), pattern.pattern)
    parsed = re_parser.parse(source)
    openings = _openings(list(parsed), 3) if not parsed.state.flags & re.I else {()}
    if () in openings:
        return re.compile(source)
    # re tries the whole pattern at every position; the trie of openings turns most positions away
    # at their first or second character
    return re.compile("(?=" + trie_source(sorted(map(list, openings))) + ")(?:" + source + ")")


_ONE_CHAR = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}


def _class_chars(items: list) -> list[str] | None:
    """Return regex fragments for the characters of a parsed class ("[12]", "\\d"): each of them when
    there are few, else the class written back; None for a class not written back (negated, ranges
    with other items, a category other than \\d \\s \\w)."""
    if all(op is sre.LITERAL for op, _ in items) and len(items) <= 10:
        return [re.escape(chr(c)) for _, c in items]
    if all(op is sre.RANGE for op, _ in items) and sum(hi - lo + 1 for _, (lo, hi) in items) <= 10:
        return [re.escape(chr(c)) for _, (lo, hi) in items for c in range(lo, hi + 1)]
    if not all(op is sre.LITERAL or (op is sre.CATEGORY and av in _ONE_CHAR) for op, av in items):
        return None
    if len(items) == 1:
        return [_ONE_CHAR[items[0][1]]]
    return ["[" + "".join(_ONE_CHAR[av] if op is sre.CATEGORY else re.escape(chr(av)) for op, av in items) + "]"]


def _openings(items: list, n: int) -> set[tuple[str, ...]]:
    """Return the ways a match of the parsed regex `items` can begin: tuples of at most n regex
    fragments of one character each, one of which every match starts with (a tuple is cut short
    where the next character is not easily told; () means nothing is known); e.g. for "the|a\\s+"
    {('t', 'h', 'e'), ('a', '\\s')}."""
    if n == 0 or not items:
        return {()}
    (op, av), rest = items[0], items[1:]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # zero-width: no character taken
        return _openings(rest, n)
    if op is sre.SUBPATTERN:
        group, add_flags, del_flags, body = av
        return _openings(list(body) + rest, n) if not add_flags and not del_flags else {()}
    if op is sre.BRANCH:
        return set().union(*(_openings(list(alt) + rest, n) for alt in av[1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, body = av
        if low == 0 and high == 1:  # optional: with it or without it
            return _openings(list(body) + rest, n) | _openings(rest, n)
        return _openings(list(body), n) | (_openings(rest, n) if low == 0 else set())
    chars = [re.escape(chr(av))] if op is sre.LITERAL else _class_chars(av) if op is sre.IN else None
    if chars is None:
        return {()}
    return {(c,) + tail for c in chars for tail in _openings(rest, n - 1)}


# Under re.I, re enters every branch of an alternation at every position it tries; on a plain text
# (see plain_letters) the case-sensitive copies skip the branches whose first letter differs, twice as fast.
_LOWERCASED = {kind: lowercased(rx) for kind, rx in _COMPILED}
# re tries a pattern that opens with a look-ahead at every position; one that opens with a character
# class it skips to in C.  No match starts right after a letter or digit, so each copy is also built
# taking the character before the match, outside [a-z0-9_] and _NOT_AFTER (see _plain_starts).
_AFTER_GAP = {kind: re.compile("[^a-z0-9_" + _NOT_AFTER + "]" + rx.pattern) for kind, rx in _LOWERCASED.items()}
assert all(re_parser.parse(rx.pattern).getwidth()[0] for rx in _LOWERCASED.values())  # no match is empty

# Every expression contains a trigger: a word or digit shape of one class below.  Each kind of
# expression runs only in windows around the triggers of its classes, which keeps the tagger fast.
# A word may belong to several classes ("year" is a UNIT and a YEARW).
_TRIGGER_CLASSES = {
    "MONTH": "january february march april may june july august september october november december"
             " jan feb mar apr jun jul aug sep sept oct nov dec",
    "WD": "monday tuesday wednesday thursday friday saturday sunday"
          " mondays tuesdays wednesdays thursdays fridays saturdays sundays",
    "UNIT": "second minute hour day night week weekend fortnight month quarter year decade century"
            " seconds minutes hours days nights weeks weekends fortnights months quarters years decades centuries period",
    "PLURAL": "years months weeks days decades hours centuries",
    "REF": "now nowadays present moment current currently recently lately recent past future coming term date"
           " these few",
    "RD": "yesterday today tomorrow tonight",
    "POD": "morning afternoon evening",  # "night" is a UNIT trigger
    "NIGHT": "night",
    "CLOCK": "noon midnight midday clock",  # "o'clock" is two words to the word regex
    "ADV": "daily weekly monthly yearly nightly hourly",
    "SET": "every each per",
    "SEASON": "spring summer fall autumn winter",
    "FEST": "christmas thanksgiving easter election",
    "DECW": "twenties thirties forties fifties sixties seventies eighties nineties",
    "THEN": "then",
    "WHILE": "while",
    "SPOKEN": "nineteen thousand",
    "QCODE": "q1 q2 q3 q4",
    "QUARTER": "quarter quarters",
    "PERIOD": "period",
    "CENT": "century",
    "HALF": "half quarters",
    "YEARW": "year",
    "DAYW": "day",
    "AGO": "ago earlier later before after afterward afterwards now hence previously back",
    "RUREL": "this past last next previous coming current following same latest",
    "OLD": "old long",
    "YEND": "end beginning start middle close",
    "AHEAD": "ahead",
    "OVER": "over through throughout",
}
# Words are looked up in a dict (a regex alternation of a hundred words is slow); digit shapes
# have their own small regex.
_TRIGGER_WORDS: dict[str, tuple[str, ...]] = {}
for _name, _words in _TRIGGER_CLASSES.items():
    for _w in _words.split():
        _TRIGGER_WORDS[_w] = _TRIGGER_WORDS.get(_w, ()) + (_name,)
# A trigger word is a whole run of ASCII letters ("days" in "30days", not "day").  Under re.I four
# other letters match ASCII ones (İ ı ſ and the Kelvin sign K); a text holding one is scanned with
# the re.I trie regex _WORD, whose matches are the runs with those letters counted in.  Any other
# text is lowered and scanned with the case-sensitive _RUN_WORD (below), twice as fast.
_ODD_LETTERS = re.compile("[\u0130\u0131\u017f\u212a]")
_ODD_TO_ASCII = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")  # the ASCII letter re.I takes each for
_WORD = re.compile(r"(?<![A-Za-z])" + alternation(w for w in _TRIGGER_WORDS if w not in _TRIGGER_CLASSES["QCODE"].split())
                   + r"(?![A-Za-z])", re.I)
_QCODE = re.compile(r"[Qq][1-4](?!\w)")  # "Q3": a Q right before a digit run, found from the digits
_DIGITS = re.compile(r"\d\d*")
_DECADE_END = ("'", "’", "s", "S", "\u017f")  # what follows the 0 of a decade ('s or s; ſ is an s to re.I)
_DIGIT_TRIGGER = re.compile(
    r"(?<!\d)(?=\d)(?:(?P<YEAR>(?:1\d|20)\d\d(?!\d))|(?P<DEC>\d?\d?\d0['’]?s\b)|(?P<DIGCLOCK>\d{1,2}(?::\d\d|\s*[ap]\.?m\b))"
    r"|(?P<SLASH>\d+/\d)|(?P<ISO>\d{4}-\d\d-\d))",
    re.I)
# The triggers each kind of expression needs: "A|B" one of A or B; "A&B" one of A and one of B
# within a window ("two days ago" needs a unit and a direction word).
_KIND_NEEDS = {
    "md": "MONTH", "dm": "MONTH", "weekof": "MONTH", "my": "MONTH", "iso": "ISO", "mdy": "SLASH",
    "y": "YEAR", "dec": "DEC|YEAR", "cent": "CENT", "q": "QUARTER", "qref": "QUARTER|PERIOD", "qcode": "QCODE",
    "half": "HALF", "season": "SEASON", "wd": "WD", "rd": "RD", "pod": "POD|NIGHT",
    "clk": "CLOCK|DIGCLOCK", "clkmd": "MONTH", "yq": "QUARTER|PERIOD&YEAR", "ru": "UNIT&RUREL", "ago": "UNIT&AGO",
    "bareago": "PLURAL&AGO", "ana": "UNIT|POD", "yadj": "YEARW&AGO", "dur": "UNIT", "nyear": "UNIT&OLD",
    "vague": "PLURAL", "set": "SET|ADV", "theyear": "YEARW", "yend": "YEND", "spoken": "SPOKEN", "ref": "REF",
    "fest": "FEST", "decw": "DECW", "podmod": "POD", "ahead": "AHEAD", "inthe": "UNIT&AGO", "overyears": "OVER&PLURAL",
    "then": "THEN", "while": "WHILE", "nthday": "DAYW", "prepost": "YEAR", "andday": "MONTH", "daywd": "WD",
}
# Kinds that rarely match, with the words every match of theirs holds one of, as whole runs of
# letters ("the week of Nov. 9" holds "week"): only the windows holding one are scanned.  In a
# text with an odd letter (see _WORD) every window is scanned.
_KIND_WORDS = {
    "weekof": "week", "daywd": "before after", "inthe": "earlier later", "pod": "this last tomorrow yesterday",
    "prepost": "pre post", "overyears": "years decades centuries",
}
# Runs of letters the scan of a plain text records: the triggers, and the _KIND_WORDS as class "+kind".
_RUN_WORDS = dict(_TRIGGER_WORDS)
for _kind, _words in _KIND_WORDS.items():
    for _w in _words.split():
        _RUN_WORDS[_w] = _RUN_WORDS.get(_w, ()) + ("+" + _kind,)
# Found in the lowered text where no letter touches them; taking the character before a word, as
# _AFTER_GAP does, lets re skip to it in C (a look-behind is tried at every character).
_RUN_WORD = EdgeLed(alternation(w for w in _RUN_WORDS if w not in _TRIGGER_CLASSES["QCODE"].split()), "a-z")
# Kinds scanned in many windows that rarely match, with the trigger classes one of which every match
# of theirs overlaps: only the windows one overlaps are scanned ("clkmd" holds a "clk" clock).
_KIND_MARKS = {"clkmd": ("CLOCK", "DIGCLOCK")}
_KIND_NEEDS_ALSO = set(_KIND_WORDS) | set(_KIND_MARKS) | {"dec"}  # "dec" needs the 0 before "s" of a decade, see _hits
_KIND_TRIGGERS = {kind: tuple(tuple(group.split("|")) for group in need.split("&")) for kind, need in _KIND_NEEDS.items()}
_WINDOW_BEFORE, _WINDOW_AFTER = 60, 60
# What candidates() takes of each kind: its name, regex, trigger needs and priority (its place in PATTERNS).
_SCAN = [(kind, rx, _KIND_TRIGGERS[kind], prio) for prio, (kind, rx) in enumerate(_COMPILED)]
# The kinds each trigger class may start (a text holds few of the classes: most kinds need no windows).
_KINDS_OF_CLASS: dict[str, set[str]] = {}
for _kind, _needs in _KIND_TRIGGERS.items():
    for _cls in {c for group in _needs for c in group}:
        _KINDS_OF_CLASS.setdefault(_cls, set()).add(_kind)
_SPACE = re.compile(r"\s")


def plain_letters(text: str) -> bool:
    """Return True when no letter of text but an ASCII one matches an ASCII letter under re.I."""
    return text.isascii() or not _ODD_LETTERS.search(text)


def _hits(text: str, lowered: str | None) -> dict[str, list[tuple[int, int]]]:
    """Return, per trigger class, the (start, end) of its triggers in text, in text order (`lowered` is
    text.lower() when plain_letters(text), else None)."""
    per_class: dict[str, list[tuple[int, int]]] = {}
    if lowered is not None:
        for t in _RUN_WORD.matches(lowered):
            span = t.span(1)
            for cls in _RUN_WORDS[t.group(1)]:
                per_class.setdefault(cls, []).append(span)
    else:
        for t in _WORD.finditer(text):
            span = t.span()
            for cls in _TRIGGER_WORDS[t.group().translate(_ODD_TO_ASCII).lower()]:
                per_class.setdefault(cls, []).append(span)
    # _DIGIT_TRIGGER matches only where a run of digits starts: trying it there, skipping the starts
    # inside its last match as finditer would, spares running it at every character.
    end = 0
    for run in _DIGITS.finditer(text):
        p = run.start()
        if p and text[p - 1] in "Qq" and (q := _QCODE.match(text, p - 1)):
            per_class.setdefault("QCODE", []).append(q.span())
        if p >= end and (t := _DIGIT_TRIGGER.match(text, p)):
            per_class.setdefault(t.lastgroup, []).append(t.span())
            end = t.end()
        e = run.end()
        if text[e - 1] == "0" and text[e:e + 1] in _DECADE_END:
            per_class.setdefault("+dec", []).append((e - 1, e))  # the 0 of "1990s", "'90s": "dec" needs one
    return per_class


def _windows(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Return the merged [lo, hi) windows around trigger spans (sorted by start); a window ends at
    whitespace, so no word is cut in two."""
    out: list[list[int]] = []
    lo = hi = None  # the window growing, its end not yet moved to whitespace
    for start, end in spans:
        if hi is not None and start - _WINDOW_BEFORE > hi:
            hi = _space_at_or_after(text, hi)  # moved, the window may still reach this trigger's
            if start - _WINDOW_BEFORE > hi:
                out.append([lo, hi])
                lo = None
        if lo is None:
            lo, hi = max(start - _WINDOW_BEFORE, 0), end + _WINDOW_AFTER
        elif end + _WINDOW_AFTER > hi:
            hi = end + _WINDOW_AFTER
    if lo is not None:
        out.append([lo, _space_at_or_after(text, hi)])
    return out


def _space_at_or_after(text: str, pos: int) -> int:
    """Return the offset of the first whitespace at or after pos, else len(text)."""
    m = _SPACE.search(text, pos) if pos < len(text) else None
    return m.start() if m else len(text)


def _intersected(a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
    """Return the intersection of two sorted lists of disjoint [lo, hi) windows."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append([lo, hi])
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _segments(text: str, hits: dict[str, list[tuple[int, int]]], needs: tuple[tuple[str, ...], ...],
              cache: dict) -> list[list[int]]:
    """Return the windows where a kind with these trigger needs can match (`cache` keeps them for the
    text, per needs and per group of needs: several kinds share them)."""
    segs = cache.get(needs)
    if segs is None:
        for group in needs:
            windows = cache.get(group)
            if windows is None:
                spans = hits.get(group[0], []) if len(group) == 1 else sorted(s for c in group for s in hits.get(c, ()))
                windows = cache[group] = _windows(text, spans)
            segs = windows if segs is None else _intersected(segs, windows)
            if not segs:
                break
        cache[needs] = segs
    return segs


def _also_needed(kind: str, hits: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Return the spans, in text order, of the words or triggers (see _KIND_WORDS, _KIND_MARKS) one of
    which every match of the kind overlaps."""
    marks = _KIND_MARKS.get(kind)
    if marks is None:
        return hits.get("+" + kind, [])
    return sorted(s for cls in marks for s in hits.get(cls, ()))


def _overlapped(windows: list[list[int]], spans: list[tuple[int, int]]) -> list[list[int]]:
    """Return the windows that one of the spans (sorted by start) overlaps."""
    if not spans:
        return []
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))  # the furthest end of the spans up to each
    return [w for w in windows if (i := bisect.bisect_left(starts, w[1]) - 1) >= 0 and reach[i] > w[0]]


def _plain_starts(kind: str, lowered: str, windows: list[list[int]]) -> list[tuple[int, int]]:
    """Return (start, hi) for each match of _LOWERCASED[kind].finditer(lowered, lo, hi) in each [lo, hi)
    window, found with _AFTER_GAP[kind]: the leftmost match at or after pos is the one after the first
    gap character at or after pos - 1 (the last character of the match before, or the one before the window)."""
    starts = []
    search = _AFTER_GAP[kind].search
    for lo, hi in windows:
        pos = lo
        if lo == 0:  # no character before the text to take
            m = _LOWERCASED[kind].match(lowered, 0, hi)
            if m:
                starts.append((0, hi))
                pos = m.end()
            else:
                pos = 1
        while m := search(lowered, pos - 1, hi):
            starts.append((m.start() + 1, hi))
            pos = m.end()
    return starts


def candidates(text: str) -> list[tuple[int, int, str, re.Match, list]]:
    """Return non-overlapping pattern matches, longest first where they compete, in text order; each
    carries the shorter matches inside it, to fall back on when its handler rejects it."""
    plain = plain_letters(text)
    lowered = text.lower() if plain else None
    hits = _hits(text, lowered)
    cache: dict = {}
    found = []
    triggered = set().union(*(_KINDS_OF_CLASS.get(cls, ()) for cls in hits))
    for kind, rx, needs, prio in _SCAN:
        if kind not in triggered:
            continue
        segs = _segments(text, hits, needs, cache)
        if not segs:
            continue
        if plain and kind in _KIND_NEEDS_ALSO:
            # only the windows a word or stretch the kind needs overlaps (a match lies in its window)
            segs = _overlapped(segs, _also_needed(kind, hits))
            if not segs:
                continue
        if plain:
            # scan the lowered text case-sensitively, then match once on the text at each hit
            for start, hi in _plain_starts(kind, lowered, segs):
                m = rx.match(text, start, hi)
                found.append((start, m.end(), prio, kind, m))
        else:
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
