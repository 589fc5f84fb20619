"""Events: what happened, when, where, between whom — ACLED's columns, UCDP's date ranges.

Each claim's content is read for an event trigger (data/event_triggers.yaml); the event
takes its place, date and actors from the content, falling back on the claim (a party's
self-report makes the claimant the actor; an undated statement dates the event). Events of
the same happening — same place, kind, actors and compatible dates — are merged, across
articles too, and each keeps every claim that reports it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import yaml

from . import config
from .actors import Actor, actor_named, find_actor, load_actors, resolve_reference
from .offsets import Spans
from .wordtrie import alternation, whole_words

EVENT_COLUMNS = [
    "event_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities",
    "quantity", "control_share", "notes", "source", "source_original", "claim_ids", "article_ids",
    "n_sources", "n_independent_sources", "status",
    # beyond the contract: the claims that assert the control share, for the control chart
    "control_claim_ids", "control_claimants", "control_alignments", "control_shares",
]
ACLED_COLUMNS = [
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "country", "admin1",
    "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
]
EVENT_TYPES = {"territory": "Battles", "clash": "Battles", "strike": "Explosions/Remote violence"}
KIND_PRIORITY = {"territory": 0, "strike": 1, "clash": 2}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
# ACLED's rule for vague counts: "dozens" codes as 12, "hundreds" as 100.
VAGUE_COUNTS = {"dozens": 12, "dozens of": 12, "scores": 20, "hundreds": 100, "several": 3, "a few": 3}
NUMBER = r"(?:\d+|" + alternation(NUMBER_WORDS) + r")"
SHARE = re.compile(r"(?P<n>\d{1,3}(?:\.\d+)?)\s*(?:percent|per cent|pct|%)\s+of\b", re.I)
CASUALTIES = re.compile(
    r"\b(?:killing|killed|left)\s+(?:at least\s+|some\s+|about\s+)?(?P<n>" + NUMBER + r"|dozens|hundreds|scores)\s+(?:of\s+)?"
    r"(?:people|civilians|militants|fighters|soldiers|troops|members|jihadists|children|men)"
    r"|\b(?P<m>" + NUMBER + r"|dozens|hundreds)\s+(?:people|civilians|militants|fighters|soldiers|troops)\s+(?:were|have been|had been)\s+killed",
    re.I)
# the object of a capture is the place itself: "took Albu Kamal", "seized the entire town of X", "liberated the city"
WHOLE_PLACE = re.compile(r"^\s+(?:(?:the|entire|whole|full|complete|control|of|over|city|town|village|border|"
                         r"strategic|eastern|western|northern|southern|Syrian|Iraqi|key|last|major|remaining)\s+)*"
                         r"(?:[A-Z][\w'-]*|al-\w+|city|town|village|stronghold|base)\b")
HELD = re.compile(r"\b(?:controls?|controlled|holds?|held|is in control of|remains in control of)\s+"
                  r"(?:around|about|nearly|some|over|more than|less than|roughly|up to|at least)?\s*"
                  r"(?P<n>\d{1,3}(?:\.\d+)?)\s*(?:percent|per cent|pct|%)\s+of\b", re.I)
# "the army" with no named actor: in a town of one country, that country's state forces
STATE_FORCES_WORDS = re.compile(r"\b(?:army|troops|soldiers|regime|government forces|military|armed forces)\b", re.I)
# "seized the town yesterday, ten days after …": dates past this word belong to another happening
SUBORDINATE_WORDS = ["after", "before", "since", "following", "until", "that began", "which began"]
SUBORDINATE_TIME = re.compile(r"\b" + alternation(SUBORDINATE_WORDS) + r"\b", re.I)
# The same after the character before it, for the lowered content (see _trigger_spans): group 1 is the word.
SUBORDINATE_AFTER_EDGE = re.compile(r"[^a-z0-9_](" + alternation(SUBORDINATE_WORDS) + r")(?![a-z0-9_])")
ORIGIN_OF = re.compile(r"\b(?:flying|flew|taking off|took off|launched|fired|deployed|returned|coming)\s+from\s+(?:the\s+)?$", re.I)
RELATIVE_CLAUSE = re.compile(r",\s+(?:which|where|who|whose|when|after|before)\b", re.I)
CITY_NOUNS = ("city", "town", "village", "area", "base", "stronghold")
CITY_REFERENCE = re.compile(r"\b(?:the|this|that)\s+(?:(?:entire|whole|border|embattled|besieged|eastern|western|northern|"
                            r"southern|strategic|key|same)\s+){0,2}(?P<noun>" + "|".join(CITY_NOUNS) + r")\b", re.I)
ACTOR_REFERENCE = re.compile(r"\b(?:the|its|their)\s+(?P<noun>army|forces|troops|military|militants|group|jihadists|fighters)\b", re.I)
ASSOCIATES = re.compile(r"^\s+and\s+(?P<np>(?:allied|pro-government|[A-Z][\w.]*-backed)\s+(?:fighters|troops|forces|militias|militiamen))", re.I)
BACKED_BY = re.compile(r"\b(?P<who>[A-Z][\w.]*)-(?:backed|led|supported)\s+$")
HELP_OF = re.compile(r"\bwith the (?:help|support|backing) of\s+(?P<np>[\w.-]+(?:\s+[\w-]+){0,2}?\s+(?:fighters|troops|forces|militias|militiamen))", re.I)
# Compiled once: re.search(pattern, …) looks the pattern up in re's cache on every call.
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$")
AGENT_BY = re.compile(r"^\s+(?:[\w-]+\s+){0,3}?by\s+(?:the\s+)?(?:[\w.-]+\s+){0,2}$")
WEEK_VALUE = re.compile(r"\d{4}-W\d{2}")
MONTH_VALUE = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class Triggers:
    # Each word pattern (re.I) has its *_edge twin for lowered ASCII text (see _after_edge), or None;
    # the trigger pattern's is after_edge.
    pattern: re.Pattern
    after_edge: re.Pattern | None
    kinds: dict
    air: re.Pattern
    air_edge: re.Pattern | None
    shelling: re.Pattern
    shelling_edge: re.Pattern | None
    not_happened: re.Pattern
    not_happened_edge: re.Pattern | None
    quantity: re.Pattern
    weapon_nouns: tuple[str, ...]  # lower case: every quantity match holds one


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    """Return the event trigger rules from data/event_triggers.yaml, compiled once."""
    data = yaml.safe_load((config.DATA_DIR / "event_triggers.yaml").read_text(encoding="utf-8"))
    kinds = {w.lower(): kind for kind in ("territory", "clash", "strike") for w in data[kind]}
    return Triggers(
        pattern=re.compile(whole_words(kinds), re.I),
        after_edge=_after_edge(kinds),
        kinds=kinds,
        air=re.compile(whole_words(data["air_words"]), re.I),
        air_edge=_after_edge(data["air_words"]),
        shelling=re.compile(whole_words(data["shelling_words"]), re.I),
        shelling_edge=_after_edge(data["shelling_words"]),
        not_happened=re.compile(r"\b" + alternation(data["not_happened_before"]) + r"\s+(?:\w+\s+)?$", re.I),
        not_happened_edge=_after_edge(data["not_happened_before"], r"\s+(?:\w+\s+)?$"),
        quantity=re.compile(r"\b(?P<n>" + NUMBER + r")\s+(?P<model>[A-Z][\w]*-\d[\w-]*\s+)?(?:[\w-]+\s+){0,2}?(?P<noun>"
                            + alternation(data["weapon_nouns"]) + r")\b", re.I),
        weapon_nouns=tuple(w.lower() for w in data["weapon_nouns"]),
    )


def _after_edge(words, after: str = r"(?![a-z0-9_])") -> re.Pattern | None:
    r"""The words (group 1) after the character before them, then `after`, case-sensitive: in _lowered(content) it
    finds what r"\b" + alternation(words) + `after` finds with re.I in the content, the character before a word
    standing at the word's offset in the content. None unless every word is ASCII and starts and ends with a letter.

    On ASCII text re.I folds as str.lower() does and \w is [a-z0-9_] once lowered; a word starting with a
    letter starts a word (\b) where the character before is no word character.
    """
    if not all(w.isascii() and w[:1].isalpha() and w[-1:].isalpha() for w in words):
        return None
    return re.compile(r"[^a-z0-9_](" + alternation(w.lower() for w in words) + ")" + after)


def _finds(pattern: re.Pattern, edge: re.Pattern | None, content: str, lowered: str | None,
           pos: int = 0, endpos: int | None = None) -> bool:
    """Whether pattern.search(content, pos, endpos) finds anything; on ASCII text its `edge` twin reads
    _lowered(content) instead (where content[i] is at i + 1), in about half the time."""
    endpos = len(content) if endpos is None else endpos
    if edge is None or lowered is None:
        return pattern.search(content, pos, endpos) is not None
    return edge.search(lowered, pos, endpos + 1) is not None


@lru_cache(maxsize=1)
def _acled_index() -> dict[str, Actor]:
    """ACLED actor name -> the dictionary entry acting under it (state forces first)."""
    index: dict[str, Actor] = {}
    for actor in sorted(load_actors().values(), key=lambda a: (a.inter != 1, a.kind != "actor")):
        if actor.acled_actor and actor.acled_actor not in index:
            index[actor.acled_actor] = actor
    return index


def claim_events(claim: dict, article_text: str, places: Spans, mentions: Spans,
                 timexes: Spans, anchor: str | None, context: dict) -> list[dict]:
    """Return the event (at most one) a claim's content reports, with its provisional fields.

    `places`, `mentions`, `timexes` are the article's place mentions, actor mentions and
    temporal expressions, as analysis.offsets.Spans; `context` carries what earlier claims
    of the article established (last place per claimant, the actors its window names most) and is updated.
    """
    a, b = claim["content_start"], claim["content_end"]
    content = article_text[a:b]
    lowered = _lowered(content)
    rules = triggers()
    found = None
    for start, end in _trigger_spans(content, lowered):
        if _finds(rules.not_happened, rules.not_happened_edge, content, lowered, 0, start):
            continue
        kind = rules.kinds[content[start:end].lower()]
        if found is None or KIND_PRIORITY[kind] < KIND_PRIORITY[found[0]]:
            found = (kind, start, end)
    held = _held_share(content, lowered)
    if found is None and held is None:
        _event_place(claim, a, b, article_text, places, context, lowered)
        return []
    if found is None:  # "IS controls 70 percent of the town": a control report, no happening of its own
        return _control_report(claim, content, lowered, held, a, b, article_text, places, mentions, timexes, anchor,
                               context)
    kind, start, end = found  # the trigger's offsets in content
    t0 = a + start
    seg_a, seg_b = _segment(content, start)
    place = _event_place(claim, a + seg_a, a + seg_b, article_text, places, context, lowered)
    actor1, assoc1 = _actor1(claim, content, lowered, a, t0, a + end, b, mentions, article_text)
    if actor1 is None and place is not None and STATE_FORCES_WORDS.search(content, 0, start):
        actor1 = _state_forces(place.country)
    actor2 = _actor2(a, b, t0, mentions, actor1)
    inferred = actor2 is None and kind != "strike"
    if inferred:
        actor2 = _main_adversary(mentions, actor1, context)
    cut = _subordinate_time(content, lowered, end)
    when = _event_dates(claim, a, b if cut is None else a + cut, timexes, anchor)
    event = {
        "kind": kind, "trigger": content[start:end], "event_type": EVENT_TYPES[kind],
        "actor1": actor1.acled_actor if actor1 else None, "assoc_actor_1": assoc1,
        "inter1": actor1.inter if actor1 else None,
        "actor2": actor2.acled_actor if actor2 else None, "assoc_actor_2": None,
        "inter2": actor2.inter if actor2 else None, "actor2_inferred": inferred and actor2 is not None,
        **_place_fields(place), **when,
        "fatalities": _fatalities(content, lowered), "quantity": _quantity(content, lowered) if kind == "strike" else None,
        "share_said": _share(content, end) if kind == "territory" else None,
        "claim_id": claim["claim_id"], "article_id": claim["article_id"],
        "outlet": claim["outlet"], "claimant": claim["claimant"], "origin": claim.get("origin"),
        "via": claim["via"], "party_to_conflict": claim["party_to_conflict"],
        "claimant_alignment": claim["claimant_alignment"], "stance": claim.get("stance", "for"),
        "content_text": content,
    }
    if kind == "strike":
        air = (_finds(rules.air, rules.air_edge, content, lowered)
               or not _finds(rules.shelling, rules.shelling_edge, content, lowered))
        event["sub_event_type"] = "Air/drone strike" if air else "Shelling/artillery/missile attack"
    else:
        event["sub_event_type"] = "Armed clash"
    return [event]


def _lowered(content: str) -> str | None:
    """The content lowered, after a space, if it is ASCII (where re.I folds as str.lower() does); else None.

    The trigger and subordinate-clause scans read it, and the word tests (_may_hold) that spare most
    contents a search.
    """
    return " " + content.lower() if content.isascii() else None


def _trigger_spans(content: str, lowered: str | None) -> list[tuple[int, int]]:
    """The (start, end) of each trigger word of a content, as triggers().pattern finds them.

    On ASCII text they are found in _lowered(content), with a space put before the content, by a pattern that
    opens with the character before the word (a trigger word starts and ends with a letter, so none
    starts where another ends): re skips in C to the next character that is no letter, digit or
    underscore instead of trying a look-behind at every offset, in half the time.
    """
    rules = triggers()
    if rules.after_edge is None or lowered is None:
        return [m.span() for m in rules.pattern.finditer(content)]
    first = rules.after_edge.search(lowered)
    if first is None:  # most contents: one search costs half a finditer gathered into a list
        return []
    return [(m.start(1) - 1, m.end(1) - 1) for m in rules.after_edge.finditer(lowered, first.start())]


def _subordinate_time(content: str, lowered: str | None, after: int) -> int | None:
    """The offset in content of the first word after `after` that opens a subordinate time clause, as
    SUBORDINATE_TIME.search(content, after) finds it: in `lowered`, as _trigger_spans reads it."""
    if lowered is None:
        m = SUBORDINATE_TIME.search(content, after)
        return None if m is None else m.start()
    m = SUBORDINATE_AFTER_EDGE.search(lowered, after)  # lowered[after] is the character before content[after]
    return None if m is None else m.start(1) - 1


def _control_report(claim, content, lowered, held, a, b, text, places, mentions, timexes, anchor, context) -> list[dict]:
    """A report of who holds how much of a place: it joins the trajectory through the event it attaches to."""
    share, at = held
    place = _event_place(claim, a, b, text, places, context, lowered)
    if place is None:
        return []
    holder = [m["actor"] for m in mentions.starting(a, a + at) if _armed(m)]
    actor = holder[-1] if holder else (_state_forces(place.country) if STATE_FORCES_WORDS.search(content[:at]) else None)
    if actor is None:
        return []
    government = actor.inter == 1 and actor.country == place.country
    return [{
        "kind": "control", "trigger": "controls", "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": actor.acled_actor, "assoc_actor_1": None, "inter1": actor.inter, "actor2": None,
        "assoc_actor_2": None, "inter2": None, "actor2_inferred": False, **_place_fields(place),
        **_event_dates(claim, a, b, timexes, anchor), "fatalities": None, "quantity": None,
        "share_said": None, "held_share": share if government else round(1 - share, 4),
        "claim_id": claim["claim_id"], "article_id": claim["article_id"], "outlet": claim["outlet"],
        "claimant": claim["claimant"], "origin": claim.get("origin"), "via": claim["via"],
        "party_to_conflict": claim["party_to_conflict"], "claimant_alignment": claim["claimant_alignment"],
        "stance": claim.get("stance", "for"), "content_text": content,
    }]


def _segment(content: str, at: int) -> tuple[int, int]:
    """The part of the content around offset `at` that a relative or temporal clause does not leave.

    "Abu Kamal lies near areas, which have been stormed by Iraqi troops": the storming
    happened in the areas, not in Abu Kamal.
    """
    start, end = 0, len(content)
    if "," not in content:  # every RELATIVE_CLAUSE match opens with one
        return start, end
    for m in RELATIVE_CLAUSE.finditer(content):
        if m.start() < at:
            start = m.start()
        elif end == len(content):
            end = m.start()
    return start, end


def _event_place(claim: dict, a: int, b: int, text: str, places: Spans, context: dict, lowered: str | None):
    """The most specific place in text[a:b], part of a claim's content (`lowered` as claim_events has it); else
    'the city' → the last town named; else the claimant's last place."""
    # "bombers flying from Mozdok": where an attack came from is not where it happened
    inside = places.inside(a, b)
    if inside and _may_hold(lowered, ("from",)):  # every ORIGIN_OF match holds "from"; most contents none
        inside = [p for p in inside if not ORIGIN_OF.search(text[max(a, p["start"] - 30):p["start"]])]
    place = None
    for p in inside:  # the first town
        if p["place"].kind in ("city", "site"):
            place = p["place"]
            break
    if place is None:
        if _may_hold(lowered, CITY_NOUNS) and (reference := CITY_REFERENCE.search(text[a:b])):
            ref = a + reference.start()
            earlier = [p for p in places.ending_by(ref) if p["place"].kind in ("city", "site")]
            place = earlier[-1]["place"] if earlier else None
        elif inside:
            place = min(inside, key=lambda p: {"admin1": 0, "country": 1}.get(p["place"].kind, 2))["place"]
    if place is None and claim["attribution"] != "unattributed":
        place = context.get(("place", claim["claimant"]))
    if place is not None and place.kind in ("city", "site"):
        context[("place", claim["claimant"])] = place
    return place


def _place_fields(place) -> dict:
    """The event's place columns, kept per place: the gazetteer's entries live as long as the process. By
    identity, not equality, so "place" is this very object. Shared: callers spread it, never change it."""
    kept = _PLACE_FIELDS.get(id(place))
    if kept is not None and kept[0] is place:
        return kept[1]
    if place is None:
        return {"country": None, "admin1": None, "location": None, "latitude": None, "longitude": None, "geo_precision": None}
    fields = {"country": place.country, "admin1": place.admin1, "location": place.name,
              "latitude": round(float(place.latitude), 4), "longitude": round(float(place.longitude), 4),
              "geo_precision": int(place.geo_precision), "place": place}
    _PLACE_FIELDS[id(place)] = (place, fields)
    return fields


_PLACE_FIELDS: dict[int, tuple] = {}


def _armed(mention: dict) -> bool:
    return bool(mention["actor"].acled_actor)


def _actor1(claim, content, lowered, a, t0, t_end, b, mentions, text) -> tuple[Actor | None, str | None]:
    """The acting side: an armed actor named before the trigger, a back-reference to one, or a self-reporting party."""
    mention = None  # the first armed actor (_armed, inlined) after "was taken by", else before the trigger
    after = [m for m in mentions.starting(t_end, b) if m["actor"].acled_actor]
    if after and PASSIVE_BEFORE.search(text[a:t0]):  # "was taken by": asked only if an actor follows
        for m in after:
            if AGENT_BY.match(text[t_end:m["start"]]):
                mention = m
                break
    if mention is None:
        for m in mentions.inside(a, t0):
            if m["actor"].acled_actor:
                mention = m
                break
    actor = None
    if mention is not None:
        actor = mention["actor"]
    else:
        ref = ACTOR_REFERENCE.search(content, 0, t0 - a)
        if ref:
            previous = [m["actor"] for m in mentions.ending_by(a + ref.start()) if _armed(m)]
            actor = resolve_reference(ref.group("noun").lower(), previous) or (previous[-1] if previous else None)
        elif claim["attribution"] == "direct" and claim["party_to_conflict"]:
            actor = _acled_index().get(_claimant_actor(claim))
    assoc = None
    if mention is not None:
        m = ASSOCIATES.match(text[mention["end"]:b])
        assoc = m.group("np") if m else None
        backer = BACKED_BY.search(text[max(a, mention["start"] - 40):mention["start"]])
        if assoc is None and backer:
            sponsor = find_actor(f"{backer.group('who')} forces")
            assoc = sponsor.acled_actor if sponsor and sponsor.acled_actor else None
    if assoc is None and _may_hold(lowered, ("with the",)):
        m = HELP_OF.search(content)
        assoc = m.group("np") if m else None
    return actor, assoc


def _claimant_actor(claim: dict) -> str | None:
    actor = actor_named(claim["claimant"])
    return actor.acled_actor if actor else None


def _actor2(a, b, t0, mentions, actor1) -> Actor | None:
    """The other side: the first armed actor after the trigger that is not the acting side."""
    own = actor1.acled_actor if actor1 else None
    for m in mentions.starting(t0, b):
        name = m["actor"].acled_actor
        if name and name != own:  # armed, and not the acting side
            return m["actor"]
    return None


@lru_cache(maxsize=256)
def _state_forces(country: str | None) -> Actor | None:
    """The state forces (ACLED inter 1) of a country, e.g. 'Syria' -> Syrian forces."""
    return next((a for a in load_actors().values()
                 if a.inter == 1 and a.country == country and a.kind == "actor" and a.acled_actor
                 and a.acled_actor.startswith("Military Forces of")), None)


def _main_adversary(mentions: Spans, actor1: Actor | None, context: dict) -> Actor | None:
    """The armed actor the article names most, other than the acting side: the usual defender when the text names none."""
    if actor1 is None:
        return None
    own = actor1.acled_actor
    for name, actor in _named_most(mentions, context):
        if name != own:
            return actor
    return None


def _named_most(mentions: Spans, context: dict) -> list[tuple[str, Actor]]:
    """The armed actors of the mentions as (ACLED name, the actor first named under it), the most named first
    and, of those named as often, the first named first.

    Kept in `context` for the next claims of the same mentions (a window has three or four that need it).
    """
    kept = context.get("named_most")
    if kept is not None and kept[0] is mentions:
        return kept[1]
    counts: dict[str, int] = {}
    first: dict[str, Actor] = {}
    for m in mentions.items:
        name = m["actor"].acled_actor
        if name:
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, m["actor"])
    ranked = [(name, first[name]) for name in sorted(counts, key=counts.__getitem__, reverse=True)]
    context["named_most"] = (mentions, ranked)
    return ranked


def _event_dates(claim: dict, a: int, b: int, timexes: Spans, anchor: str | None) -> dict:
    """ACLED dates: a dated expression in the content, else the statement date (precision 1)."""
    said = timexes.inside(a, b)
    for t in said:  # the first dated one
        if t.get("resolved") and t["type"] != "SET":
            return _period_dates(str(t["resolved"]), anchor)
    past_ref = [t for t in said if t.get("value") == "PAST_REF"]
    stated = claim.get("statement_date")
    if past_ref:
        return {"event_date": None, "date_start": None, "date_end": stated, "time_precision": None}
    if stated:
        return {"event_date": stated, "date_start": stated, "date_end": stated, "time_precision": 1}
    return {"event_date": None, "date_start": None, "date_end": None, "time_precision": None}


def date_range(resolved: str, precision: str | None, anchor: str | None) -> dict:
    """Return ACLED/UCDP dates for a resolved period: the 15th for a month, the middle of a span.

    >>> date_range("2017-10", "month", "2017-11-19")["event_date"]
    '2017-10-15'
    """
    try:
        if len(resolved) >= 10:
            day = date.fromisoformat(resolved[:10]).isoformat()
            return {"event_date": day, "date_start": day, "date_end": day, "time_precision": 1}
        if WEEK_VALUE.fullmatch(resolved):
            start = date.fromisocalendar(int(resolved[:4]), int(resolved[6:]), 1)
            end = start + timedelta(days=6)
            precision_code = 2
        elif MONTH_VALUE.fullmatch(resolved):
            start = date(int(resolved[:4]), int(resolved[5:7]), 1)
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            precision_code = 3
        else:
            return {"event_date": None, "date_start": None, "date_end": None, "time_precision": None}
    except ValueError:
        return {"event_date": None, "date_start": None, "date_end": None, "time_precision": None}
    if anchor:
        end = min(end, date.fromisoformat(anchor))  # an event reported on the anchor cannot lie after it
    if precision_code == 3:
        middle = start.replace(day=15)
    else:
        middle = start + (end - start) / 2
    return {"event_date": middle.isoformat(), "date_start": start.isoformat(), "date_end": end.isoformat(),
            "time_precision": precision_code}


def _period_dates(resolved: str, anchor: str | None) -> dict:
    """date_range(resolved, None, anchor), kept: the events of a corpus fall on a few thousand periods, and a day
    (any value of ten characters or more) comes out the same whatever the anchor. The dict is shared: callers
    copy it (the event dicts spread it) and never change it."""
    return _kept_date_range(resolved, None, None if len(resolved) >= 10 else anchor)


_kept_date_range = lru_cache(maxsize=4096)(date_range)


def _share(content: str, after: int) -> float | None:
    """Control share said in the content after the trigger (which ends at `after`): 'captured 80 percent
    of the city' -> 0.8, 'took the town' -> 1.0.

    A whole place counts only when the trigger's object is the place itself; 'most of',
    'several neighbourhoods' or 'parts of' say nothing measurable.
    """
    m = SHARE.search(content, after, after + 40)
    if m:
        value = float(m.group("n")) / 100
        return value if 0 <= value <= 1 else None
    if WHOLE_PLACE.match(content[after:]):
        return 1.0
    return None


def _may_hold(lowered: str | None, words: tuple[str, ...]) -> bool:
    """False only if the content holds none of `words` (lower case) in any case, as re.I would match them.

    `lowered` is the content lowered, as claim_events has it: for ASCII text re.I folds exactly as str.lower()
    does; other text (None) is left to the regex.
    """
    if lowered is None:
        return True
    for word in words:  # a loop: any() over a generator took twice the time, on every claim
        if word in lowered:
            return True
    return False


def _held_share(content: str, lowered: str | None) -> tuple[float, int] | None:
    """'IS now controls around 70 percent of the town' -> (0.7, offset of the verb): a share held, not taken."""
    if not _may_hold(lowered, ("percent", "per cent", "pct", "%")):  # HELD needs one; few contents have any
        return None
    m = HELD.search(content)
    if not m:
        return None
    value = float(m.group("n")) / 100
    return (value, m.start()) if 0 <= value <= 1 else None


def _fatalities(content: str, lowered: str | None) -> int | None:
    if not _may_hold(lowered, ("kill", "left")):  # every CASUALTIES match holds one
        return None
    m = CASUALTIES.search(content)
    if not m:
        return None
    word = (m.group("n") or m.group("m")).lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word, VAGUE_COUNTS.get(word))


def _quantity(content: str, lowered: str | None) -> str | None:
    """'six Tu-22M3 long-range bombers' -> '6 Tu-22M3 bombers'."""
    rules = triggers()
    if not _may_hold(lowered, rules.weapon_nouns):
        return None
    m = rules.quantity.search(content)
    if not m:
        return None
    n = m.group("n").lower()
    count = int(n) if n.isdigit() else NUMBER_WORDS[n]
    model = (m.group("model") or "").strip()
    return " ".join(x for x in (str(count), model, m.group("noun")) if x)


def merge_events(raw: list[dict]) -> list[dict]:
    """Return events with the reports of one happening merged into one row.

    Reports merge when they share place and event type, their actors agree (or one is
    unknown) and their dates are compatible: equal days, or overlapping ranges when one is
    coarser. ACLED codes one battle per place, day and actor pair, so a territorial report
    absorbs a clash report of the same day.
    """
    merged: list[dict] = []
    # happenings first; then what only comments on one: a share held, a denial
    main = [r for r in raw if r["kind"] != "control" and r.get("stance") != "against"]
    comments = [r for r in raw if r["kind"] == "control" or r.get("stance") == "against"]
    happenings = _HappeningIndex()
    for report in sorted(main, key=lambda r: (r.get("location") or "", r.get("event_date") or "", r["claim_id"])):
        target = happenings.first_same(report)
        if target is None:
            event = {**report, "reports": [report]}
            merged.append(event)
            happenings.add(event)
        else:
            _absorb(target, report)
            happenings.refile(target)  # absorbing a finer report may change its dates, or name its taker
    by_place = _PlaceIndex(merged) if comments else None
    for report in comments:
        target = _commented_event(by_place.near(report), report)
        if target is not None:
            target["reports"].append(report)
        elif report["kind"] != "control":  # a denial of something no one else reported stands alone
            event = {**report, "reports": [report]}
            merged.append(event)
            by_place.add(event)
    # An event with no date at all (background such as "IS overran Raqqa in 2014") stands on no timeline,
    # and one with neither a place nor a day on no map either.
    merged = [e for e in merged if (e.get("event_date") or e.get("date_end")) and (e.get("location") or e.get("event_date"))]
    merged.sort(key=lambda e: event_order(e.get("event_date"), e.get("location"), e["reports"][0]["claim_id"]))
    return merged


def event_order(event_date: str | None, location: str | None, first_claim_id: str) -> tuple:
    """The sort key that numbers events: by date (undated last), place, then the first claim reporting it."""
    return event_date or "9999", location or "", first_claim_id


def place_of(report: dict) -> str:
    """The place a report is merged and sequenced under: events of different places never merge.

    merge_events and finish_events on the reports of each place apart, then numbered in
    event_order, give the same events as on all reports at once.
    """
    return report.get("location") or ""


class _HappeningIndex:
    """The merged events that a report could join, found without comparing it with every event.

    `_same_happening` needs the same place and event type, and equal days (two day events)
    or overlapping ranges; so events are filed by (location, event_type), then single days
    by date, everything else by its (start, end) range. A place gathers ranges as the corpus
    grows (months, weeks, "between" spans), so those of ISO strings are also kept sorted by
    end: reports come in date order, and the ranges that end on or after a report's start
    are few. Who took a place decides whether two captures are one, so every event with a
    known first actor is also filed under (location, type, actor1), where a territorial
    report looks; one with no taker joins nothing. The index only narrows the candidates:
    `_same_happening` still decides, and the first match in merge order wins, as before.
    """

    def __init__(self) -> None:
        self.order: dict[int, int] = {}  # id(event) -> its position in merge order
        self.filed: dict[int, tuple] = {}  # id(event) -> where it is filed (_filed_as)
        self.days: dict[tuple, dict[str, dict[int, dict]]] = {}  # (location, type) -> day -> {position: event}
        self.day_keys: dict[tuple, list[str]] = {}  # (location, type) -> the days filed, sorted
        self.others: dict[tuple, dict[tuple, dict[int, dict]]] = {}  # (location, type) -> (start, end) -> {position: event}
        # the ranges of `others`, by place: those with string ends as (end, start), sorted; the same by
        # start day; and the rest (a start or end missing), which every report is compared with
        self.by_end: dict[tuple, list[tuple[str, str]]] = {}
        self.by_start: dict[tuple, dict[str, list[tuple]]] = {}
        self.unordered: dict[tuple, list[tuple]] = {}

    @staticmethod
    def _filed_as(event: dict) -> tuple:
        """Where an event is filed: (its keys, its day, its range); no keys when it can be joined by nothing.

        Its keys are its place, and its place with its taker when it names one; its day is its start when it
        is a single day (precision 1, starting and ending on the same day), else None.
        """
        location, start = event.get("location"), event.get("date_start")
        if location is None or not start:
            return (), None, None  # _same_happening never joins a report to an event without place or start date
        place, actor1, end = (location, event["event_type"]), event.get("actor1"), event.get("date_end")
        one_day = event.get("time_precision") == 1 and isinstance(start, str) and start == end
        return (place, (*place, actor1)) if actor1 else (place,), start if one_day else None, (start, end)

    @staticmethod
    def _looks_in(report: dict) -> tuple | None:
        """The key under which the events a report could join are filed, None when it can join none."""
        location, start = report.get("location"), report.get("date_start")
        if location is None or not start:
            return None
        if report["kind"] != "territory":
            return location, report["event_type"]
        # _same_happening joins a capture only to an event of the same, named, taker
        return (location, report["event_type"], report["actor1"]) if report.get("actor1") else None

    def add(self, event: dict) -> None:
        position = self.order.setdefault(id(event), len(self.order))
        places, day, key = self.filed[id(event)] = self._filed_as(event)
        for place in places:
            self._file(place, day, key, event, position)

    def _file(self, place: tuple, day: str | None, key: tuple, event: dict, position: int) -> None:
        if day is None:
            ranges = self.others.setdefault(place, {})
            if key not in ranges:
                ranges[key] = {}
                start, end = key
                if isinstance(start, str) and isinstance(end, str):
                    insort(self.by_end.setdefault(place, []), (end, start))
                    self.by_start.setdefault(place, {}).setdefault(start, []).append(key)
                else:
                    self.unordered.setdefault(place, []).append(key)
            ranges[key][position] = event
            return
        days = self.days.setdefault(place, {})
        if day not in days:
            days[day] = {}
            insort(self.day_keys.setdefault(place, []), day)
        days[day][position] = event

    def refile(self, event: dict) -> None:
        """File an event again after it absorbed a report, if that moved it (most absorbs don't)."""
        if self._filed_as(event) == self.filed[id(event)]:
            return
        position = self.order[id(event)]
        places, day, key = self.filed[id(event)]
        for place in places:
            (self.others[place][key] if day is None else self.days[place][day]).pop(position)
        self.add(event)

    def first_same(self, report: dict) -> dict | None:
        """The first event in merge order that `report` reports too, or None."""
        place = self._looks_in(report)
        if place is None:
            return None
        r_start, r_end = report["date_start"], report.get("date_end")
        candidates: dict[int, dict] = {}
        # the ranges _same_happening could accept: overlapping, or starting on the same day;
        # anything not comparable is left to it
        ranges = self.others.get(place, {})
        if isinstance(r_start, str) and isinstance(r_end, str):
            ends = self.by_end.get(place, [])
            for e_end, e_start in ends[bisect_left(ends, (r_start,)):]:
                if e_start <= r_end:
                    candidates.update(ranges[e_start, e_end])
            for key in self.by_start.get(place, {}).get(r_start, ()):
                candidates.update(ranges[key])
            for key in self.unordered.get(place, ()):
                candidates.update(ranges[key])
        else:
            for events in ranges.values():
                candidates.update(events)
        days = self.days.get(place, {})
        if report.get("time_precision") == 1:  # a day report joins a day event of the same day only
            candidates.update(days.get(r_start, {}))
        if report.get("time_precision") != 1 or r_start != r_end:  # ranges: the days inside [start, end]
            keys = self.day_keys.get(place, [])
            if isinstance(r_end, str):
                for day in keys[bisect_left(keys, r_start):bisect_right(keys, r_end)]:
                    candidates.update(days[day])
            else:  # no end: leave the comparison (and its failure) to _same_happening, as before
                for day in keys:
                    candidates.update(days[day])
        if not candidates:  # most reports: the index found nothing to compare
            return None
        for position in sorted(candidates):
            if _same_happening(candidates[position], report):
                return candidates[position]
        return None


class _PlaceIndex:
    """The merged events by location and event date, in merge order, for the reports that comment on one."""

    def __init__(self, events: list[dict]) -> None:
        self.dates: dict[str, dict[str, list[tuple[int, dict]]]] = {}  # location -> event_date -> [(position, event)]
        self.keys: dict[str, list[str]] = {}
        self.count = 0
        for event in events:
            self.add(event)

    def add(self, event: dict) -> None:
        position, self.count = self.count, self.count + 1
        location, day = event.get("location"), event.get("event_date")
        if not location or not day:
            return  # _commented_event needs both
        dates = self.dates.setdefault(location, {})
        if day not in dates:
            dates[day] = []
            insort(self.keys.setdefault(location, []), day)
        dates[day].append((position, event))

    def near(self, report: dict) -> list[dict]:
        """The events at the report's place dated up to three days before its date, in merge order.

        A superset of what _commented_event accepts; it filters them itself.
        """
        day = report.get("event_date") or report.get("date_end")
        if not day or not report.get("location"):
            return []
        earliest = (date.fromisoformat(day) - timedelta(days=3)).isoformat()
        keys = self.keys.get(report["location"], [])
        dates = self.dates[report["location"]] if keys else {}
        found = [item for d in keys[bisect_left(keys, earliest):bisect_right(keys, day)] for item in dates[d]]
        return [event for _, event in sorted(found, key=lambda item: item[0])]


def _commented_event(events: list[dict], report: dict) -> dict | None:
    """The latest event at the report's place, on or up to three days before its date, that it comments on."""
    day = report.get("event_date") or report.get("date_end")
    if not day or not report.get("location"):
        return None
    earliest = (date.fromisoformat(day) - timedelta(days=3)).isoformat()
    kinds = ("territory", "clash") if report["kind"] == "control" else (report["kind"],)
    candidates = [e for e in events if e.get("location") == report["location"] and e["kind"] in kinds
                  and e.get("event_date") and earliest <= e["event_date"] <= day
                  and (report["kind"] == "control" or not report.get("actor1") or e.get("actor1") in (None, report["actor1"]))]
    return max(candidates, key=lambda e: (e["event_date"], e["kind"] == "territory"), default=None)


def _same_happening(event: dict, report: dict) -> bool:
    if event.get("location") is None or event.get("location") != report.get("location"):
        return False
    if event["event_type"] != report["event_type"]:
        return False
    for side in ("actor1", "actor2"):
        if event.get(side) and report.get(side) and event[side] != report[side]:
            return False
    if (event["kind"] == "territory" or report["kind"] == "territory") and not (
            event.get("actor1") and event.get("actor1") == report.get("actor1")):
        return False  # who took a place is the whole point: an unknown taker joins nothing
    if (event.get("actor1") is None or report.get("actor1") is None) and event["kind"] != report["kind"]:
        return False
    if event.get("actor1") and report.get("actor1") is None and report.get("actor2") == event.get("actor1"):
        return False
    e_start, e_end = event.get("date_start"), event.get("date_end")
    r_start, r_end = report.get("date_start"), report.get("date_end")
    if not (e_start and r_start):
        return False
    if event.get("time_precision") == 1 and report.get("time_precision") == 1:
        return e_start == r_start
    return e_start <= r_end and r_start <= e_end


def _absorb(event: dict, report: dict) -> None:
    event["reports"].append(report)
    for key, value in report.items():
        if value is not None and key != "reports" and event.get(key) is None:
            event[key] = value
    if report["kind"] == "territory" and event["kind"] != "territory":
        for key in ("kind", "trigger", "sub_event_type", "share_said"):
            event[key] = report[key]
    if (report.get("time_precision") or 9) < (event.get("time_precision") or 9):
        for key in ("event_date", "date_start", "date_end", "time_precision"):
            event[key] = report[key]


def event_id(n: int) -> str:
    """The id of the n-th event in event_order: event_id(7) == 'E00007'."""
    return f"E{n:05d}"


def finish_events(merged: list[dict]) -> list[dict]:
    """Return finished event rows: sub-types, control shares, sources, independence and status."""
    by_place: dict[str, list[dict]] = {}
    for n, event in enumerate(merged, start=1):
        event["event_id"] = event_id(n)
        if event["kind"] == "territory" or "control" in [r["kind"] for r in event["reports"]]:
            by_place.setdefault(place_of(event), []).append(event)
    for events in by_place.values():
        _territorial_sequence(events)
    return [_event_row(event) for event in merged]


def _government(acled_actor: str | None, country: str | None) -> bool:
    actor = _acled_index().get(acled_actor) if acled_actor else None
    return bool(actor and actor.inter == 1 and country and actor.country == country)


def _territorial_sequence(events: list[dict]) -> None:
    """Sub-types and government shares of one place's territorial events, in date order; reversals mark the earlier claim contested."""
    holder = None
    previous = None
    index = _acled_index()
    for event in sorted(events, key=lambda e: e.get("event_date") or "9999"):
        country = event.get("country")
        if (event.get("actor2") is None or event.get("actor2_inferred")) and holder and holder != event.get("actor1"):
            event["actor2"] = holder
            event["inter2"] = index[holder].inter if holder in index else None
        government_gains = event["kind"] == "territory" and _government(event.get("actor1"), country)
        if government_gains:
            event["sub_event_type"] = "Government regains territory"
        elif event["kind"] == "territory" and event.get("actor1") and (event.get("inter1") or 0) in (2, 3, 4):
            event["sub_event_type"] = "Non-state actor overtakes territory"
        loses = not government_gains and _government(event.get("actor2"), country)
        # each claim keeps the share it states: the control chart has one marker per claim
        claimed = {}
        for r in event["reports"]:
            if r["kind"] == "control":
                claimed[r["claim_id"]] = r["held_share"]
                continue
            if r.get("stance") == "against" and r["kind"] == "territory":
                if r.get("share_said") == 1.0 and (government_gains or loses):  # denying a loss claims the place held
                    claimed[r["claim_id"]] = 0.0 if government_gains else 1.0
                continue
            if r["kind"] != "territory" or r.get("share_said") is None:
                continue
            if government_gains:
                claimed[r["claim_id"]] = r["share_said"]
            elif loses and r["share_said"] == 1.0:
                claimed[r["claim_id"]] = 0.0
        share = None
        if claimed:  # most territorial events state no share
            by_claim = {r["claim_id"]: r for r in event["reports"]}
            affirmed = [c for c in claimed if by_claim[c].get("stance") != "against"]
            # the event's share: a non-party's figure first, then a party's; a denial never sets it
            ranked = sorted(affirmed, key=lambda c: by_claim[c].get("party_to_conflict") is True)
            share = claimed[ranked[0]] if ranked else None
        event["control_share"] = share
        event["control_claim_ids"] = list(claimed)
        event["control_claim_shares"] = claimed
        if event.get("actor1") and (event.get("share_said") or 0) >= 1.0:
            holder = event["actor1"]
        if share is not None:
            if previous is not None and share < previous["control_share"]:
                event["reversal"] = True
                previous["reversed_by"] = event
            previous = event


# the columns an event row takes from the event as it is; _event_row makes the others
_EVENT_FIELDS = [c for c in EVENT_COLUMNS if c not in (
    "source", "source_original", "claim_ids", "article_ids", "n_sources", "n_independent_sources", "status",
    "fatalities", "notes", "control_claim_ids", "control_claimants", "control_alignments", "control_shares")]
_EMPTY_ROW = dict.fromkeys(EVENT_COLUMNS)


def _event_row(event: dict) -> dict:
    reports = event["reports"]
    control = event.get("control_claim_ids") or []
    claimed = event.get("control_claim_shares") or {}
    by_id = {r["claim_id"]: r for r in reports} if control or claimed else {}  # only territorial events have these
    # one pass over the reports (most events have one): the sets and firsts the row counts and joins
    claim_ids, outlets, claimants, articles, chains, origins, tolls = [], {}, {}, {}, set(), set(), {}
    denied, parties = False, True  # parties: every report is by a party to the conflict
    for r in reports:
        claim_ids.append(r["claim_id"])
        outlets[r["outlet"]] = claimants[r["claimant"]] = articles[r["article_id"]] = None
        chains.add(r["via"])
        origins.add(r.get("origin") or r["claimant"])
        parties = parties and r.get("party_to_conflict") is True
        denied = denied or r.get("stance") == "against"
        if r.get("fatalities") is not None:
            tolls[r["claimant"]] = r["fatalities"]
    shares = {by_id[c]["claimant"]: v for c, v in claimed.items()} if claimed else {}
    split = len(shares) > 1 and len(set(shares.values())) > 1  # two control shares for the same happening: a contradiction
    if event.get("reversed_by") is not None or denied or split:
        status = "contested"
    elif len(origins) >= 2:
        status = "corroborated"
    elif parties:
        status = "claimed"
    else:
        status = "reported"
    notes = [reports[0].get("content_text") or ""]
    if event.get("reversed_by") is not None:
        later = event["reversed_by"]
        notes.append(f"Reversed: {later.get('actor1') or 'another side'} took {event.get('location')} on {later.get('event_date')}.")
    if denied:
        notes.append("A claimant denies it.")
    if split:
        notes.append("Control shares disagree: " + ", ".join(f"{c} {v:.0%}" for c, v in shares.items()) + ".")
    if len(tolls) > 1 and len(set(tolls.values())) > 1:  # ACLED codes the most conservative of conflicting tolls
        notes.append("Fatalities disputed: " + ", ".join(f"{c} {v}" for c, v in tolls.items()) + "; the lowest is coded.")
    if event.get("actor2_inferred"):
        notes.append(f"Opponent {event.get('actor2')} inferred from the article, not named in the claim.")
    if event.get("date_start") is None and event.get("date_end"):
        notes.append(f"Undated: on or before {event['date_end']}.")
    row = _EMPTY_ROW.copy()  # the columns in order; cheaper than building it anew
    for column in _EVENT_FIELDS:  # a loop: update() from pairs took longer
        row[column] = event.get(column)
    row["source"], row["source_original"] = "; ".join(outlets), "; ".join(claimants)
    row["claim_ids"], row["article_ids"] = "; ".join(claim_ids), "; ".join(articles)
    row["n_sources"], row["n_independent_sources"], row["status"] = len(chains), len(origins), status
    row["fatalities"] = min(tolls.values()) if tolls else None
    row["notes"] = " ".join(filter(None, notes)).strip() or None
    if control:  # most events have no control claims: their four columns stay None, as the joins of nothing gave
        row.update({
            "control_claim_ids": "; ".join(control),
            "control_claimants": "; ".join(by_id[c]["claimant"] for c in control) or None,
            "control_alignments": "; ".join(by_id[c]["claimant_alignment"] or "unknown" for c in control) or None,
            "control_shares": "; ".join(f"{event['control_claim_shares'][c]:g}" for c in control) or None,
        })
    return row
