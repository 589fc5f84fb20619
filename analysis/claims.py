"""Claims: who asserted what, when, through whom.

A sentence is split into clauses; in each clause an attribution frame is sought:
"…, X said (DAY)." (trailing), "X said (in a statement) (that) …" (leading) or
"according to X". Without one, the clause is the outlet's own narrative (`unattributed`).
"…, adding that …" is a second claim by the same claimant. Back-references ("the paper",
"the ministry") resolve to the last actor named whose reference nouns match.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import yaml

from . import config
from .actors import Actor, find_actor, find_actors, load_actors, resolve_reference
from .offsets import Spans
from .places import resolve_place
from .wordtrie import WholeWords, alternation, glued, whole_words
from .corpus import dateline_match

CLAIM_COLUMNS = [
    "claim_id", "article_id", "outlet", "published", "sentence_id", "sentence", "claimant",
    "claimant_text", "claimant_type", "claimant_alignment", "party_to_conflict", "attribution",
    "via", "verb", "statement_date", "content", "hedged", "event_ids",
    # beyond the contract: where the content sits, the chain's origin, denial stance
    "content_start", "content_end", "origin", "stance",
]

# Clause boundaries inside a sentence: contrast and semicolons separate independent assertions.
CONTRASTS = ("but", "while", "whereas", "although", "though", "even as")
CLAUSE_BREAK = re.compile(r",\s+(?:" + "|".join(CONTRASTS) + r")\s+|;\s+")
LEADING_JUNK = re.compile(r"^(?:(?:and|but|though|although|while|as|meanwhile|however|also)\b[\s,]*)+", re.I)
RELAYED_BY = re.compile(r"^(?P<speaker>.+?),?\s+(?:quoted|cited|interviewed)\s+by\s+(?P<relay>.+)$", re.I)
OWNED_BY = re.compile(r"^.+?\s+(?:run|operated|affiliated|linked|close)\s+(?:by|with|to)\s+(?P<owner>.+)$", re.I)
STATE_MEDIA = re.compile(r"^(?:the\s+)?(?:country's\s+)?(?:state|state-run|official|government)\s+"
                         r"(?P<kind>tv|television|media|news agency)$", re.I)
STATEMENT_NOUNS = {"statement", "communique", "communiqué", "report", "release", "announcement"}
PRONOUN = re.compile(r"^(?:he|she|they|it)$", re.I)
BACK_REFERENCE = re.compile(r"^(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[\w-]+)$", re.I)
ADDING = re.compile(r"^,?\s*(?:and\s+)?(?:adding|added)\s*(?:that\s+|:\s*|,\s*)", re.I)
THAT = re.compile(r"^,?\s*(?:that\s+|:\s*)", re.I)
LISTENER = re.compile(r"^\s+(?:the\s+)?(?P<listener>[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|for|al-\w+)){0,5}"
                      r"|reporters|journalists|a news conference|a press conference)", re.U)
QUOTED_AS_SAYING = re.compile(r"^\s+(?P<np>.+?)\s+as\s+saying(?:\s+that)?[\s,:]*", re.I)
CITING = re.compile(r",?\s+citing\s+(?P<np>[^,.;]+?)\s*(?=[,.;]|$)", re.I)
POSSESSIVE = re.compile(r"^(?P<owner>.+?)['’]s?\s+(?:official\s+|own\s+)?(?:Telegram channel|Telegram account|website|"
                        r"Twitter account|Twitter feed|social media accounts?|statement|news agency|media office|"
                        r"media wing|media arm|mouthpiece|channel)$", re.I)
# "in a statement", "on its Telegram channel", "on Amaq's website": where it was said, part of the frame.
MEDIUM = re.compile(r"^\s*(?:in|on|via|through|at|during)\s+(?:a|an|the|its|his|her|their|[A-Z][\w-]*['’]s?)\s+"
                    r"(?:[\w-]+\s+){0,3}?(?:statement|channel|website|account|conference|briefing|interview|broadcast|"
                    r"feed|post|posting|video|release|communique|communiqué|speech)\b", re.I)
CARRIED_ON = re.compile(r"^\s*(?:read|broadcast|aired|carried|published|posted)\s+(?:out\s+)?(?:on|by|in)\s+"
                        r"(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:television|TV|radio|channel|website|agency)\b", re.I)
# ", a monitor said, two days after …": an aside after the frame, not a new assertion
TRAILING_ASIDE = re.compile(r"^\s*,\s+(?:[a-z][\w-]*\s+){0,3}?(?:after|before|as|while|when|since|despite|amid|"
                            r"following|contradicting|in|with|more|less|hours|days|weeks)\b")
ACCORDING_TO = re.compile(r"\baccording to\s+(?P<np>[^,.;]+?)\s*(?=[,.;]|$)", re.I)
# Compiled once: re.match(pattern, …) looks the pattern up in re's cache on every call.
# Matched at an offset of the clause (pattern.match(clause, pos)), so without "^": neither looks behind it.
FRAME_DATE_LEAD = re.compile(r"\s*(?:on|late on|early on|earlier|later)?\s*")
FRAME_TIME_WORD = re.compile(r"\s*(?:earlier|later|late|yesterday|today)\b", re.I)
RELATIVE_PRONOUN = re.compile(r"(?:which|who|whose|that|where)\b", re.I)
NP_TAIL = re.compile(r"\s+(?:has|have|had|also|earlier|later|on \w+day)$")
DETERMINED = re.compile(r"(?:a|an|the)\s", re.I)
DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)
OF_PHRASE = re.compile(r"\s+(?:of|for|from|with|in|on)\s+")
LATIN_WORD = re.compile(r"[A-Za-z-]+")
NP_BREAKERS = frozenset(",;:()\"“”")  # clause punctuation a claimant phrase cannot hold


@dataclass(frozen=True)
class Rules:
    verbs: dict
    verb_words: WholeWords  # the verb forms (find_frame); group 1 of a match is the verb
    frame_pattern: re.Pattern
    frame_words: re.Pattern  # frame_pattern, MEDIUM or CARRIED_ON, the first that matches: one call (_skip_frame),
    # at an offset of the clause: their "^" dropped (none looks behind it)
    hedge_pattern: re.Pattern
    hedge_lower: re.Pattern | None  # hedges, case-sensitive, no look-behind, for lowered ASCII text (_hedged)
    hedge_words: tuple[str, ...]  # the longest word of each hedge: a lowered text holding none holds no hedge
    generic_sources: frozenset


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Return the attribution rules read from data/attribution.yaml, compiled once."""
    data = yaml.safe_load((config.DATA_DIR / "attribution.yaml").read_text(encoding="utf-8"))
    verbs = {form.lower(): spec for form, spec in data["verbs"].items()}
    frame_pattern = re.compile(r"^\s*" + alternation(data["frame_phrases"]), re.I)
    hedge_lower = re.compile(alternation(data["hedges"]) + r"(?!\w)") \
        if all(h.isascii() and h.islower() for h in data["hedges"]) else None
    hedge_words = tuple(dict.fromkeys(max(h.split(), key=len) for h in data["hedges"]))
    # A match of the alternation is its first alternative's own match, as with `or`: nothing follows it.
    frame_words = re.compile("|".join(f"(?:{p.pattern.removeprefix('^')})" for p in (frame_pattern, MEDIUM, CARRIED_ON)),
                             re.I)
    return Rules(verbs, WholeWords(verbs), frame_pattern, frame_words,
                 re.compile(whole_words(data["hedges"]), re.I), hedge_lower, hedge_words,
                 frozenset(w.lower() for w in data["generic_sources"]))


@dataclass
class Frame:
    """An attribution found in a clause: who, with which verb, and where the content lies."""

    np: str
    np_start: int
    verb: str
    stance: str
    content: tuple[int, int]
    frame_end: int
    adding: tuple[int, int] | None = None
    relay: str | None = None  # who passed the claim on: "X told AFP", "X quoted Y", "…, citing Y"
    head: tuple[int, int] | None = None  # narrative before a leading frame: "X happened, and Y said …"
    kind: str = "leading"  # "trailing" for ", X said." closing the clause


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the clauses of a sentence.

    >>> s = "X fell on Monday, but IS retook it."
    >>> [s[a:b] for a, b in clauses(s)]
    ['X fell on Monday', 'IS retook it.']
    """
    # Every break holds a ";" or a comma and a contrast word: most sentences hold neither, and `in` tests them
    # faster than CLAUSE_BREAK scans.
    if ";" not in sentence and ("," not in sentence or not any(map(sentence.__contains__, CONTRASTS))):
        return [(0, len(sentence))] if sentence.strip() else []
    spans, start = [], 0
    for m in CLAUSE_BREAK.finditer(sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def find_frame(clause: str, timex_spans: list[tuple[int, int]], lowered: str | None = None) -> Frame | None:
    """Return the attribution frame of a clause, or None for the outlet's own narrative.

    Offsets are relative to the clause; `timex_spans` are the clause's temporal expressions, in text order,
    which the frame may swallow ("said Sunday", "said on Nov. 9"). `lowered` is clause.lower()
    when the caller has it.
    """
    # Both phrases hold a literal word; on ASCII text (re.I folds only ASCII there) a substring test rules most clauses out.
    plain = (clause.lower() if lowered is None else lowered) if clause.isascii() else None
    citing = CITING.search(clause) if plain is None or "citing" in plain else None
    if citing:  # "…, TASS reported, citing SANA": SANA is the claimant, the frame's speaker its relay
        inner = find_frame(clause[: citing.start()], [(a, b) for a, b in timex_spans if b <= citing.start()])
        if inner is None:
            return Frame(citing.group("np"), citing.start("np"), "cited", "for", (_body_start(clause), citing.start()),
                         citing.end())
        inner.relay, inner.np, inner.np_start = inner.np, citing.group("np"), citing.start("np")
        inner.frame_end = max(inner.frame_end, citing.end())
        return inner
    candidates = _verb_matches(clause, plain)
    for m in reversed(candidates):  # a trailing ", X said." closes the clause: the last one wins
        frame = _trailing(clause, m, timex_spans)
        if frame:
            return frame
    m = ACCORDING_TO.search(clause) if plain is None or "according to" in plain else None
    if m:
        before, after = clause[: m.start()].rstrip(" ,"), clause[m.end():].lstrip(" ,")
        start, end = (0, len(before)) if len(before) >= len(after) else (m.end() + (len(clause[m.end():]) - len(after)), len(clause))
        return Frame(m.group("np"), m.start("np"), "according to", "for", (start, end), m.end())
    for m in candidates:
        frame = _leading(clause, m, timex_spans)
        if frame:
            return frame
    return None


def _verb_matches(clause: str, plain: str | None) -> list[re.Match]:
    """The attribution verbs of a clause (rules().verb_words); `plain` is the clause lowered if ASCII.

    Group 1 of each match is the verb; on ASCII text it is found in `plain` (wordtrie.WholeWords), so then
    in lower case, which is all the frame finders read.
    """
    return rules().verb_words.matches(clause, plain)


def _hedged(text: str, lowered: str | None = None) -> bool:
    """Whether rules().hedge_pattern occurs in `text`; `lowered` is text.lower() when the caller has it.

    On ASCII text the case-sensitive scan of the lowered text finds every position the full pattern matches
    at; its first match decides unless a word character precedes it (a hedge of several words might then
    hide one behind it, so the full pattern decides). Most sentences hold no hedge's longest word, which
    `in` tests faster than the scan.
    """
    r = rules()
    if r.hedge_lower is not None and text.isascii():
        plain = text.lower() if lowered is None else lowered
        if not any(map(plain.__contains__, r.hedge_words)):
            return False
        m = r.hedge_lower.search(plain)
        if m is None:
            return False
        if not glued(plain, m.start()):
            return True
    return bool(r.hedge_pattern.search(text))


def _verb_spec(word: str) -> tuple[str, str]:
    spec = rules().verbs[word.lower()]
    return spec["verb"], spec.get("stance", "for")


def _skip_frame(clause: str, pos: int, timex_spans: list[tuple[int, int]]) -> int:
    """Return the offset after the words that belong to the attribution (dates, 'in a statement')."""
    frame_words = rules().frame_words
    while True:
        m = frame_words.match(clause, pos)
        if m:
            pos = m.end()
            continue
        if timex_spans and timex_spans[-1][0] >= pos:  # a date may follow (spans in text order): most frames have none
            head = FRAME_DATE_LEAD.match(clause, pos).end()
            timex = next((e for s, e in timex_spans if pos <= s <= head), None)
            if timex is not None:
                pos = timex
                continue
        m = FRAME_TIME_WORD.match(clause, pos)
        if m:
            pos = m.end()
            continue
        return pos


def _listener(clause: str, verb: re.Match, timex_spans) -> tuple[int, str | None]:
    """Return the offset after the frame and, for "told X", the listener X (an outlet relaying the claim)."""
    after = _skip_frame(clause, verb.end(1), timex_spans)
    if verb.group(1).lower() not in ("told", "tells"):
        return after, None
    m = LISTENER.match(clause[after:])
    if not m:
        return after, None
    return _skip_frame(clause, after + m.end(), timex_spans), m.group("listener")


def _trailing(clause: str, verb: re.Match, timex_spans) -> Frame | None:
    """", X said (DAY)." with the content before the comma."""
    comma = clause.rfind(",", 0, verb.start(1))
    if comma <= 0:
        return None
    np = clause[comma + 1: verb.start(1)].strip().lstrip("\"“”'’ ")
    if not _plausible_np(np):
        return None
    after, relay = _listener(clause, verb, timex_spans)
    rest = clause[after:]
    adding = None
    m = ADDING.match(rest)
    if m:
        tail = clause[after + m.end():].rstrip(" .")
        adding = (after + m.end(), after + m.end() + len(tail))
    elif rest.strip(" .\"'”’") != "" and not TRAILING_ASIDE.match(rest):
        return None
    word, stance = _verb_spec(verb.group(1))
    np_start = clause.index(np, comma + 1)
    return Frame(np, np_start, word, stance, (_body_start(clause), comma), after, adding, relay, kind="trailing")


def _leading(clause: str, verb: re.Match, timex_spans) -> Frame | None:
    """"(On DAY,) X said (in a statement) (that) …" with the content after the frame."""
    head_start = _body_start(clause)
    head = clause[head_start: verb.start(1)]
    comma = head.rfind(",")
    np_start = head_start + (comma + 1 if comma >= 0 else 0)
    narrative = None
    if comma >= 0 and not head[comma + 1:].strip():  # "X, an opposition monitor, said" / "Its director, Y, said"
        segments = [seg.strip() for seg in head[:comma].split(",")
                    if not RELATIVE_PRONOUN.match(seg.strip())]
        named = [seg for seg in segments if find_actor(seg) is not None]
        np = named[-1] if named else segments[0]
        np_start, comma = head_start, -1
    else:
        np = clause[np_start: verb.start(1)].strip()
        if comma >= 0 and len(_words_outside(clause[head_start: head_start + comma], head_start, timex_spans)) >= 4:
            narrative = (head_start, head_start + comma)
    np_start = clause.index(np, np_start) if np else np_start
    for s, e in timex_spans:  # "On Tuesday the agency said": the date opens the frame, it does not name anyone
        if np_start <= s <= np_start + 4 and e < np_start + len(np):
            np = clause[e: np_start + len(np)].strip()
            np_start = clause.index(np, e)
    np = NP_TAIL.sub("", np)
    if not _plausible_np(np):
        return None
    after, relay = _listener(clause, verb, timex_spans)
    if verb.group(1).lower() == "quoted":  # "X quoted Y as saying …": Y speaks, X relays
        quoted = QUOTED_AS_SAYING.match(clause[after:])
        if not quoted:
            return None
        relay, np, np_start = np, quoted.group("np"), after + quoted.start("np")
        after += quoted.end()
    m = THAT.match(clause[after:])
    content_start = after + (m.end() if m else len(clause[after:]) - len(clause[after:].lstrip()))
    content_end = len(clause.rstrip(" ."))
    if content_end - content_start < 8:
        return None
    word, stance = _verb_spec(verb.group(1))
    if word == "quoted":
        word = "said"
    return Frame(np, np_start, word, stance, (content_start, content_end), after, relay=relay, head=narrative)


def _words_outside(text: str, offset: int, timex_spans) -> list[str]:
    """The words of `text` (at `offset` in the clause) that are not part of a temporal expression."""
    chars = None  # the characters of `text`, listed only when a temporal expression overlaps it (most do not)
    for s, e in timex_spans:
        lo, hi = max(s - offset, 0), min(e - offset, len(text))
        if lo < hi:
            chars = chars or list(text)
            chars[lo:hi] = " " * (hi - lo)
    words = ("".join(chars) if chars else text).split()
    return [w for w in words if w.lower() not in ("on", "in", "at", "and", "but")]


@lru_cache(maxsize=65_536)  # the frame finders ask about the same phrases ("the ministry", "SOHR") again and again
def _plausible_np(np: str) -> bool:
    """Whether a span can name a claimant: short, no clause punctuation, starts like a noun phrase."""
    words = np.split()
    if not 1 <= len(words) <= 12 or not NP_BREAKERS.isdisjoint(np):
        return False
    if PRONOUN.match(np) or find_actor(np) is not None or np.lower() in rules().generic_sources:
        return True
    return words[0][0].isupper() or words[0].lower() in {"the", "a", "an", "its", "his", "her", "their"}


@lru_cache(maxsize=4096)  # asked about the same clause by the frame finders and the reader (3 us a dateline test)
def _body_start(clause: str) -> int:
    m = dateline_match(clause)
    return m.end() if m else 0


@lru_cache(maxsize=4096)  # a corpus has a few hundred datelines; each article resolved its own again (5 us)
def _place_country(name: str) -> str | None:
    """The country of the place a dateline names, or None: _place_country("Damascus") == "Syria"."""
    place = resolve_place(name)
    return place.country if place else None


@dataclass
class Claimant:
    """Who a claimant phrase names: a dictionary actor, or its own words; and who relayed it."""

    actor: Actor | None
    name: str
    relay: str | None = None
    text: str = ""


def state_outlet(np: str, country: str | None) -> Actor | None:
    """Return the state outlet of `country` that 'state TV', 'the official news agency' names, or None.

    >>> state_outlet("the state TV", "Syria").name
    'Syrian state TV'
    """
    m = STATE_MEDIA.match(np)
    if not m or not country:
        return None
    kind = m.group("kind").lower().replace("television", "tv")
    for actor in load_actors().values():
        if actor.kind == "outlet" and actor.country == country and any(
                alias.lower().replace("television", "tv").endswith(f"state {kind}")
                or alias.lower().replace("television", "tv").endswith(f"official {kind}") for alias in actor.aliases):
            return actor
    return None


@lru_cache(maxsize=65_536)  # the same phrases come back claim after claim ("the ministry", "he", "SOHR")
def _named(np: str, country: str | None) -> tuple[str, str | None, Actor | None]:
    """Return a claimant phrase cleaned of quotes and leading conjunctions, its relay and the actor it names
    outright (an alias or a state outlet), or None: what resolve_claimant reads before the article's context.

    >>> _named("and a military source quoted by SANA", None)[:2]
    ('a military source', 'SANA')
    """
    np = LEADING_JUNK.sub("", np.strip(" \"'“”‘’")).strip()
    relay = None
    m = RELAYED_BY.match(np)
    if m:  # "a military source quoted by SANA": the source speaks, SANA relays
        np, relay = m.group("speaker"), m.group("relay")
    return np, relay, find_actor(np) or state_outlet(np, country)


def resolve_claimant(np: str, previous: Iterable[Actor], earlier: list[Claimant] = (),
                     following: list[Actor] = (), country: str | None = None) -> Claimant:
    """Return the claimant a phrase names: an alias, an actor named inside it, a back-reference or a pronoun.

    `previous` are the actors named before the phrase, `earlier` the article's earlier claimants,
    `following` the actors named after it ("a monitor said … The Observatory said" names it late).

    >>> resolve_claimant("the paper", [find_actor("al-Watan")]).name
    'al-Watan'
    """
    written = np
    np, relay, actor = _named(np, country)
    referents = None  # `previous` and then the earlier claimants, the likeliest referents: listed when first read
    if actor is None:
        owner = POSSESSIVE.match(np) or OWNED_BY.match(np)
        if owner:
            referents = _referents(previous, earlier)
            actor = resolve_claimant(owner.group("owner"), referents, earlier).actor
    if actor is None and PRONOUN.match(np) and earlier:  # "he said": the last speaker goes on
        return Claimant(earlier[-1].actor, earlier[-1].name, relay, written)
    m = BACK_REFERENCE.match(np) if actor is None else None
    if m:
        noun = m.group("noun").lower()
        if noun in STATEMENT_NOUNS and earlier:  # "the statement said": the last claimant's statement
            return Claimant(earlier[-1].actor, earlier[-1].name, relay, written)
        if referents is None:
            referents = _referents(previous, earlier)
        actor = resolve_reference(noun, referents)
        if actor is None:  # "the source" → the last unnamed claimant whose words end in that noun
            same = [c for c in earlier if c.actor is None and c.name.lower().endswith(noun)]
            if same:
                return Claimant(None, same[-1].name, relay, written)
    if actor is None:  # "Observatory director Rami Abdel Rahman", "Syria's official news agency SANA"
        actor = _first_named(np)
    if actor is None and DETERMINED.match(np):  # "a coalition spokesman": an earlier actor's noun
        head_words = OF_PHRASE.split(np, maxsplit=1)[0]  # "a commander of X": X is not his noun
        nouns = [w.lower() for w in reversed(LATIN_WORD.findall(head_words)[1:])]
        if referents is None:
            referents = _referents(previous, earlier)
        actor = next((a for a in (resolve_reference(n, referents) for n in nouns) if a), None)
        if actor is None and np.lower().startswith(("a ", "an ")):  # "a monitor said …", named in the next lines
            ahead = list(reversed(following[:6]))
            actor = next((a for a in (resolve_reference(n, ahead) for n in nouns) if a), None)
    return Claimant(actor, actor.name if actor else _strip_determiner(np), relay, written)


def _referents(previous: Iterable[Actor], earlier: list[Claimant]) -> list[Actor]:
    """The actors named before a claimant phrase, then those of the earlier claimants (resolve_claimant)."""
    return [*previous, *(c.actor for c in earlier if c.actor is not None)]


@lru_cache(maxsize=65_536)
def _first_named(np: str) -> Actor | None:
    """The actor of the first mention find_actors finds in a claimant phrase, or None."""
    named = find_actors(np)
    return named[0]["actor"] if named else None


def article_claims(article: dict, sentences: list[dict], timexes: list[dict], mentions: list[dict]) -> list[dict]:
    """Return the claims of one article, in text order; offsets refer to the article text.

    `timexes` and `mentions` are the article's temporal expressions and actor mentions
    (analysis.timexes.tag_timexes, analysis.actors.find_actors) over the same text.
    """
    outlet_name = article.get("outlet") or "unknown outlet"
    outlet = find_actor(outlet_name)
    reader = _ArticleReader(article, outlet, outlet.name if outlet else outlet_name, outlet_name, timexes, mentions)
    for sent in quoted_sentences(sentences):
        reader.read_sentence(sent)
    claims = sorted(reader.claims, key=lambda c: c["content_start"])
    for n, claim in enumerate(claims, start=1):
        claim["claim_id"] = f"{article['article_id']}-c{n:03d}"
    return claims


def quoted_sentences(sentences: list[dict]) -> list[dict]:
    """Return the sentences with a quotation that runs over several sentences joined into one.

    '"IS controls 70 percent. The regime pulled back," Abdel Rahman told AFP.' is one claim.
    """
    joined: list[dict] = []
    open_quote = False  # whether joined[-1] leaves a quotation open
    for sent in sentences:
        if open_quote and joined[-1]["paragraph_id"] == sent["paragraph_id"]:
            last = joined[-1]
            gap = sent["start"] - last["end"]
            last.update(text=last["text"] + " " * gap + sent["text"], end=sent["end"])
            open_quote = _quote_open(last["text"])
            continue
        open_quote = _quote_open(sent["text"])
        joined.append(dict(sent) if open_quote else sent)  # copied only where the next sentence may join it
    return joined


def _quote_open(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


class _ArticleReader:
    """Reads an article's sentences in order, remembering who spoke and when."""

    def __init__(self, article, outlet, outlet_label, outlet_name, timexes, mentions):
        self.article, self.outlet, self.outlet_label, self.outlet_name = article, outlet, outlet_label, outlet_name
        self.timexes, self.mentions = Spans(timexes), Spans(mentions)
        self.published = article.get("published")
        self.default_date = article.get("anchor_date") or (self.published[:10] if self.published else None)
        self.claims: list[dict] = []
        self.speakers: list[Claimant] = []
        self.dated: dict[str, str] = {}  # origin -> the last statement date the text gave for it
        agency = find_actor(article["agency"]) if article.get("agency") else None
        # a reprint ("Gulf Daily" running "(AFP)" copy): the agency wrote it, the outlet relays it
        self.agency = agency.name if agency and agency.name != outlet_label else None
        # "state TV" in a Damascus story is Syria's
        self.country = _place_country(article["dateline_place"]) if article.get("dateline_place") else None
        # the outlet's own narrative: every such claim of the article has the same voice, chain and date
        voice = find_actor(self.agency) if self.agency else self.outlet
        label = voice.name if voice else self.outlet_label
        self.narrator = {**_claimant_fields(voice, label),
                         "claimant_text": self.agency or self.outlet_name, "attribution": "unattributed",
                         "via": via_chain(self.outlet_label, None, label, self.agency), "verb": None,
                         "statement_date": self.published[:10] if self.published else self.default_date}

    def read_sentence(self, sent: dict) -> None:
        text, s0 = sent["text"], sent["start"]
        lowered = text.lower() if text.isascii() else None  # for the hedge and verb scans (same offsets: ASCII)
        common = {"article_id": self.article["article_id"], "outlet": self.outlet_label, "published": self.published,
                  "sentence_id": sent["sentence_id"], "sentence": text,
                  "hedged": _hedged(text, lowered), "event_ids": None}
        spans = clauses(text)
        if len(spans) == 1:  # most sentences are one clause, which lends and borrows no frame
            clause, base, frame, inside = self._framed(text, lowered, s0, *spans[0])
            if frame is not None:
                self._attributed(common, clause, base, frame, inside)
            else:
                self._narrative(common, clause, base, (_body_start(clause), len(clause)))
            return
        found = [self._framed(text, lowered, s0, c_start, c_end) for c_start, c_end in spans]
        # A trailing ", X said." speaks for the frameless clauses before it in the same sentence.
        carried = None
        for i in range(len(found) - 1, -1, -1):
            clause, base, frame, inside = found[i]
            if frame is not None:
                carried = frame if frame.kind == "trailing" else None
            elif carried is not None:
                found[i] = (clause, base, None, carried, inside)
                continue
            found[i] = (clause, base, frame, None, inside)
        for clause, base, frame, borrowed, inside in found:
            if frame is not None:
                opening = [(c, b) for c, b, f, lent, _ in found if lent is frame]
                if opening:  # one statement from the first borrowing clause to the frame's comma
                    first_clause, first_base = opening[0]
                    start = first_base + _body_start(first_clause)
                    clause, base = text[start - s0: base - s0 + len(clause)], start
                    inside = self.timexes.inside(base, base + len(clause))
                    frame = find_frame(clause, [(t["start"] - base, t["end"] - base) for t in inside]) or frame
                self._attributed(common, clause, base, frame, inside)
            elif borrowed is None:
                self._narrative(common, clause, base, (_body_start(clause), len(clause)))

    def _framed(self, text, lowered, s0, c_start, c_end) -> tuple:
        """The clause text[c_start:c_end] of a sentence at s0, its offset, frame (find_frame) and timexes inside."""
        clause = text[c_start:c_end]
        base = s0 + c_start
        inside = self.timexes.inside(base, base + len(clause))  # kept for the statement date
        spans = [(t["start"] - base, t["end"] - base) for t in inside]
        return clause, base, find_frame(clause, spans, lowered[c_start:c_end] if lowered is not None else None), inside

    def _attributed(self, common, clause, base, frame, timexes) -> tuple:
        """Add the claims of a clause with a frame; `timexes` are those inside the clause."""
        if frame.head:  # "Iraqi forces retook X last Friday, and the command said …": the head is narrative
            self._narrative(common, clause, base, frame.head)
        previous = _ActorsBefore(self.mentions, base + frame.np_start)
        following = _NextActors(self.mentions, base + frame.np_start + len(frame.np))
        who = resolve_claimant(frame.np, previous, self.speakers, following, self.country)
        relay = who.relay or frame.relay
        if relay:  # "The outlet quoted …": the relay is a claimant phrase too
            relay = resolve_claimant(relay, previous, self.speakers, (), self.country).name
        self.speakers.append(who)
        date = _statement_date(clause, frame, timexes, base)
        fields = _claimant_fields(who.actor, who.name)
        origin = fields["origin"]
        if date is not None:
            self.dated[origin] = date
        else:  # an undated statement by a voice already dated keeps that date; else the anchor
            date = self.dated.get(origin) or self.default_date
        chain = via_chain(self.outlet_label, relay, who.name, self.agency)
        attribution = "reported" if frame.verb == "according to" else "direct"
        parts = [(frame.content, frame.verb)] + ([(frame.adding, "added")] if frame.adding else [])
        for span, verb in parts:
            self._add(common, clause, base, span, who, date, chain, verb, frame.stance, attribution,
                      clause_text=frame.np, fields=fields)
        return who, date, chain

    def _add(self, common, clause, base, span, who, date, chain, verb, stance, attribution, clause_text,
             fields) -> None:
        a, b = span
        content = clause[a:b].strip().strip("\"“”").strip().rstrip(",.")
        if not content:
            return
        start = base + a + clause[a:b].index(content)
        self.claims.append({**common, **fields,  # _claimant_fields(who.actor, who.name)
                            "claimant_text": (clause_text or who.text).strip(" \"'“”"),
                            "attribution": attribution, "via": chain, "verb": verb, "statement_date": date,
                            "content": content, "content_start": start, "content_end": start + len(content),
                            "stance": stance})

    def _narrative(self, common, clause, base, span) -> None:
        """The outlet's own narrative in clause[span], unless too short to assert anything."""
        a, b = span
        raw = clause[a:b]
        content = raw.strip().strip("\"“”").rstrip(" ,.")
        if len(content.split()) < 3:
            return
        start = base + a + raw.index(content)
        self.claims.append({**common, **self.narrator,
                            "content": content, "content_start": start, "content_end": start + len(content),
                            "stance": "for"})


class _ActorsBefore:
    """The actors of the mentions ending by `offset`, listed only when iterated: most claimants are named outright."""

    __slots__ = ("mentions", "offset")

    def __init__(self, mentions: Spans, offset: int):
        self.mentions, self.offset = mentions, offset

    def __iter__(self):
        return (m["actor"] for m in self.mentions.ending_by(self.offset))


class _NextActors:
    """The actors of the six mentions from `offset` on (all resolve_claimant looks at), listed only when indexed:
    few claimant phrases need them."""

    __slots__ = ("mentions", "offset")

    def __init__(self, mentions: Spans, offset: int):
        self.mentions, self.offset = mentions, offset

    def __getitem__(self, index):
        # the six sliced from the items: starting_from would copy the rest of the article's
        after = bisect_left(self.mentions.starts, self.offset)
        return [m["actor"] for m in self.mentions.items[after: after + 6]][index]


@lru_cache(maxsize=65_536)  # an article's claims mostly repeat a few chains
def via_chain(outlet: str, relay: str | None, claimant: str, agency: str | None = None) -> str:
    """Return the attribution chain from outlet to claimant, e.g. 'Gulf Daily < AFP < SOHR'.

    `agency` is the wire agency whose copy the outlet reprints.

    >>> via_chain("Xinhua", None, "al-Watan")
    'Xinhua < al-Watan'
    """
    links = [outlet, agency] if agency else [outlet]
    if relay and relay.lower() not in ("reporters", "journalists", "a news conference", "a press conference"):
        actor = find_actor(relay)
        links.append(actor.name if actor else _strip_determiner(relay))
    links.append(claimant)
    return " < ".join(dict.fromkeys(links))


def _statement_date(clause: str, frame: Frame, timexes: list[dict], base: int) -> str | None:
    """Return the resolved date said of the statement: in the frame after the verb, else an opening adverbial."""
    content_a, content_b = frame.content
    in_frame, opening = [], []
    for t in timexes:
        s, e = t["start"] - base, t["end"] - base
        if not t.get("resolved") or t.get("type") == "SET" or len(str(t["resolved"])) < 10:
            continue
        if s < 0 or e > len(clause) or content_a <= s < content_b:
            continue
        if frame.np_start <= s < frame.frame_end:
            in_frame.append(t)
        elif s < frame.np_start and clause[e:frame.np_start].strip(" ,") == "":
            opening.append(t)
    chosen = (in_frame or opening or [None])[0]
    return str(chosen["resolved"])[:10] if chosen else None


def _claimant_fields(actor: Actor | None, label: str) -> dict:
    if actor is None:
        return {"claimant": label, "claimant_type": "unknown", "claimant_alignment": "unknown",
                "party_to_conflict": None, "origin": label}
    return {"claimant": actor.name, "claimant_type": actor.type, "claimant_alignment": actor.alignment,
            "party_to_conflict": bool(actor.party_to_conflict), "origin": actor.origin or actor.name}


def _strip_determiner(np: str) -> str:
    return DETERMINER.sub("", np.strip())
