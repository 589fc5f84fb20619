"""Claims: who asserted what, when, through whom.

A sentence is split into clauses; in each clause an attribution frame is sought:
"…, X said (DAY)." (trailing), "X said (in a statement) (that) …" (leading) or
"according to X". Without one, the clause is the outlet's own narrative (`unattributed`).
"…, adding that …" is a second claim by the same claimant. Back-references ("the paper",
"the ministry") resolve to the last actor named whose reference nouns match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from . import config
from .actors import Actor, find_actor, find_actors, resolve_reference
from .corpus import dateline_match

CLAIM_COLUMNS = [
    "claim_id", "article_id", "outlet", "published", "sentence_id", "sentence", "claimant",
    "claimant_text", "claimant_type", "claimant_alignment", "party_to_conflict", "attribution",
    "via", "verb", "statement_date", "content", "hedged", "event_ids",
    # beyond the contract: where the content sits, the chain's origin, denial stance
    "content_start", "content_end", "origin", "stance",
]

# Clause boundaries inside a sentence: contrast and semicolons separate independent assertions.
CLAUSE_BREAK = re.compile(r",\s+(?:but|while|whereas|although|though|even as)\s+|;\s+")
LEADING_JUNK = re.compile(r"^(?:(?:and|but|though|although|while|as|meanwhile|however|also)\b[\s,]*)+", re.I)
RELAYED_BY = re.compile(r"^(?P<speaker>.+?),?\s+(?:quoted|cited|interviewed)\s+by\s+(?P<relay>.+)$", re.I)
OWNED_BY = re.compile(r"^.+?\s+(?:run|operated|affiliated|linked|close)\s+(?:by|with|to)\s+(?P<owner>.+)$", re.I)
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
ACCORDING_TO = re.compile(r"\baccording to\s+(?P<np>[^,.;]+?)\s*(?=[,.;]|$)", re.I)


@dataclass(frozen=True)
class Rules:
    verbs: dict
    verb_pattern: re.Pattern
    frame_pattern: re.Pattern
    hedge_pattern: re.Pattern


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Return the attribution rules read from data/attribution.yaml, compiled once."""
    data = yaml.safe_load((config.DATA_DIR / "attribution.yaml").read_text(encoding="utf-8"))
    verbs = {form.lower(): spec for form, spec in data["verbs"].items()}
    verb_pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) + r")\b", re.I)
    frames = "|".join(re.escape(p) for p in sorted(data["frame_phrases"], key=len, reverse=True))
    frame_pattern = re.compile(r"^\s*(?:" + frames + r")", re.I)
    hedges = "|".join(re.escape(h) for h in sorted(data["hedges"], key=len, reverse=True))
    return Rules(verbs, verb_pattern, frame_pattern, re.compile(r"\b(?:" + hedges + r")\b", re.I))


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


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the clauses of a sentence.

    >>> s = "X fell on Monday, but IS retook it."
    >>> [s[a:b] for a, b in clauses(s)]
    ['X fell on Monday', 'IS retook it.']
    """
    spans, start = [], 0
    for m in CLAUSE_BREAK.finditer(sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def find_frame(clause: str, timex_spans: list[tuple[int, int]]) -> Frame | None:
    """Return the attribution frame of a clause, or None for the outlet's own narrative.

    Offsets are relative to the clause; `timex_spans` are the clause's temporal expressions,
    which the frame may swallow ("said Sunday", "said on Nov. 9").
    """
    citing = CITING.search(clause)
    if citing:  # "…, TASS reported, citing SANA": SANA is the claimant, the frame's speaker its relay
        inner = find_frame(clause[: citing.start()], [(a, b) for a, b in timex_spans if b <= citing.start()])
        if inner is None:
            return Frame(citing.group("np"), citing.start("np"), "cited", "for", (_body_start(clause), citing.start()),
                         citing.end())
        inner.relay, inner.np, inner.np_start = inner.np, citing.group("np"), citing.start("np")
        inner.frame_end = max(inner.frame_end, citing.end())
        return inner
    r = rules()
    candidates = list(r.verb_pattern.finditer(clause))
    for m in reversed(candidates):  # a trailing ", X said." closes the clause: the last one wins
        frame = _trailing(clause, m, timex_spans)
        if frame:
            return frame
    m = ACCORDING_TO.search(clause)
    if m:
        before, after = clause[: m.start()].rstrip(" ,"), clause[m.end():].lstrip(" ,")
        start, end = (0, len(before)) if len(before) >= len(after) else (m.end() + (len(clause[m.end():]) - len(after)), len(clause))
        return Frame(m.group("np"), m.start("np"), "according to", "for", (start, end), m.end())
    for m in candidates:
        frame = _leading(clause, m, timex_spans)
        if frame:
            return frame
    return None


def _verb_spec(word: str) -> tuple[str, str]:
    spec = rules().verbs[word.lower()]
    return spec["verb"], spec.get("stance", "for")


def _skip_frame(clause: str, pos: int, timex_spans: list[tuple[int, int]]) -> int:
    """Return the offset after the words that belong to the attribution (dates, 'in a statement')."""
    while True:
        rest = clause[pos:]
        m = rules().frame_pattern.match(rest) or MEDIUM.match(rest) or CARRIED_ON.match(rest)
        if m:
            pos += m.end()
            continue
        m = re.match(r"^\s*(?:on|late on|early on|earlier|later)?\s*", rest)
        head = pos + (m.end() if m else 0)
        timex = next((e for s, e in timex_spans if s == head or (s >= pos and s <= head)), None)
        if timex is not None:
            pos = timex
            continue
        m = re.match(r"^\s*(?:earlier|later|late|yesterday|today)\b", rest, re.I)
        if m:
            pos += m.end()
            continue
        return pos


def _listener(clause: str, verb: re.Match, timex_spans) -> tuple[int, str | None]:
    """Return the offset after the frame and, for "told X", the listener X (an outlet relaying the claim)."""
    after = _skip_frame(clause, verb.end(), timex_spans)
    if verb.group().lower() not in ("told", "tells"):
        return after, None
    m = LISTENER.match(clause[after:])
    if not m:
        return after, None
    return _skip_frame(clause, after + m.end(), timex_spans), m.group("listener")


def _trailing(clause: str, verb: re.Match, timex_spans) -> Frame | None:
    """", X said (DAY)." with the content before the comma."""
    comma = clause.rfind(",", 0, verb.start())
    if comma <= 0:
        return None
    np = clause[comma + 1: verb.start()].strip().lstrip("\"“”'’ ")
    if not _plausible_np(np):
        return None
    after, relay = _listener(clause, verb, timex_spans)
    rest = clause[after:]
    adding = None
    m = ADDING.match(rest)
    if m:
        tail = clause[after + m.end():].rstrip(" .")
        adding = (after + m.end(), after + m.end() + len(tail))
    elif rest.strip(" .\"'”’") != "":
        return None
    word, stance = _verb_spec(verb.group())
    np_start = clause.index(np, comma + 1)
    return Frame(np, np_start, word, stance, (_body_start(clause), comma), after, adding, relay)


def _leading(clause: str, verb: re.Match, timex_spans) -> Frame | None:
    """"(On DAY,) X said (in a statement) (that) …" with the content after the frame."""
    head_start = _body_start(clause)
    head = clause[head_start: verb.start()]
    comma = head.rfind(",")
    np_start = head_start + (comma + 1 if comma >= 0 else 0)
    narrative = None
    if comma >= 0 and not head[comma + 1:].strip():  # "X, an opposition monitor, said": X speaks
        np_start, comma = head_start, -1
        np = head[: head.find(",")].strip()
    else:
        np = clause[np_start: verb.start()].strip()
        before = clause[head_start: head_start + comma] if comma >= 0 else ""
        if len(_words_outside(before, head_start, timex_spans)) >= 4:
            narrative = (head_start, head_start + comma)
    np_start = clause.index(np, np_start) if np else np_start
    for s, e in timex_spans:  # "On Tuesday the agency said": the date opens the frame, it does not name anyone
        if np_start <= s <= np_start + 4 and e < np_start + len(np):
            np = clause[e: np_start + len(np)].strip()
            np_start = clause.index(np, e)
    np = re.sub(r"\s+(?:has|have|had|also|earlier|later|on \w+day)$", "", np)
    if not _plausible_np(np):
        return None
    after, relay = _listener(clause, verb, timex_spans)
    if verb.group().lower() == "quoted":  # "X quoted Y as saying …": Y speaks, X relays
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
    word, stance = _verb_spec(verb.group())
    if word == "quoted":
        word = "said"
    return Frame(np, np_start, word, stance, (content_start, content_end), after, relay=relay, head=narrative)


def _words_outside(text: str, offset: int, timex_spans) -> list[str]:
    """The words of `text` (at `offset` in the clause) that are not part of a temporal expression."""
    chars = list(text)
    for s, e in timex_spans:
        for i in range(max(s - offset, 0), min(e - offset, len(chars))):
            chars[i] = " "
    return [w for w in "".join(chars).split() if w.lower() not in ("on", "in", "at", "and", "but")]


def _plausible_np(np: str) -> bool:
    """Whether a span can name a claimant: short, no clause punctuation, starts like a noun phrase."""
    words = np.split()
    if not 1 <= len(words) <= 9 or any(ch in np for ch in ",;:()\"“”"):
        return False
    if PRONOUN.match(np) or find_actor(np) is not None:
        return True
    return words[0][0].isupper() or words[0].lower() in {"the", "a", "an", "its", "his", "her", "their"}


def _body_start(clause: str) -> int:
    m = dateline_match(clause)
    return m.end() if m else 0


@dataclass
class Claimant:
    """Who a claimant phrase names: a dictionary actor, or its own words; and who relayed it."""

    actor: Actor | None
    name: str
    relay: str | None = None


def resolve_claimant(np: str, previous: list[Actor], earlier: list[Claimant] = ()) -> Claimant:
    """Return the claimant a phrase names: an alias, an actor named inside it, a back-reference or a pronoun.

    `previous` are the actors named before the phrase, `earlier` the article's earlier claimants.

    >>> resolve_claimant("the paper", [find_actor("al-Watan")]).name
    'al-Watan'
    """
    np = LEADING_JUNK.sub("", np.strip(" \"'“”‘’")).strip()
    relay = None
    m = RELAYED_BY.match(np)
    if m:  # "a military source quoted by SANA": the source speaks, SANA relays
        np, relay = m.group("speaker"), m.group("relay")
    actor = find_actor(np)
    if actor is None:
        owner = POSSESSIVE.match(np) or OWNED_BY.match(np)
        if owner:
            actor = resolve_claimant(owner.group("owner"), previous, earlier).actor
    if actor is None and PRONOUN.match(np) and earlier:  # "he said": the last speaker goes on
        return Claimant(earlier[-1].actor, earlier[-1].name, relay)
    m = BACK_REFERENCE.match(np)
    if actor is None and m:
        noun = m.group("noun").lower()
        if noun in STATEMENT_NOUNS and earlier:  # "the statement said": the last claimant's statement
            return Claimant(earlier[-1].actor, earlier[-1].name, relay)
        actor = resolve_reference(noun, previous)
        if actor is None:  # "the source" → the last unnamed claimant whose words end in that noun
            same = [c for c in earlier if c.actor is None and c.name.lower().endswith(noun)]
            if same:
                return Claimant(None, same[-1].name, relay)
    if actor is None:
        named = find_actors(np)
        if named:  # "Observatory director Rami Abdel Rahman", "Syria's official news agency SANA"
            actor = named[0]["actor"]
    if actor is None and re.match(r"(?:a|an|the)\s", np, re.I):  # "a coalition spokesman": an earlier actor's noun
        for word in reversed(re.findall(r"[A-Za-z-]+", np)[1:]):
            actor = resolve_reference(word.lower(), previous)
            if actor is not None:
                break
    return Claimant(actor, actor.name if actor else _strip_determiner(np), relay)


def article_claims(article: dict, sentences: list[dict], timexes: list[dict], mentions: list[dict]) -> list[dict]:
    """Return the claims of one article, in text order; offsets refer to the article text.

    `timexes` and `mentions` are the article's temporal expressions and actor mentions
    (analysis.timexes.tag_timexes, analysis.actors.find_actors) over the same text.
    """
    outlet_name = article.get("outlet") or "unknown outlet"
    outlet = find_actor(outlet_name)
    outlet_label = outlet.name if outlet else outlet_name
    published = article.get("published")
    default_date = article.get("anchor_date") or (published[:10] if published else None)
    hedge = rules().hedge_pattern
    claims: list[dict] = []
    speakers: list[Claimant] = []
    last_date: dict[str, str | None] = {}
    for sent in sentences:
        s0 = sent["start"]
        text = sent["text"]
        for c_start, c_end in clauses(text):
            clause = text[c_start:c_end]
            base = s0 + c_start
            spans = [(t["start"] - base, t["end"] - base) for t in timexes
                     if t["start"] >= base and t["end"] <= base + len(clause)]
            frame = find_frame(clause, spans)
            previous = [m["actor"] for m in mentions if m["end"] <= base + (frame.np_start if frame else 0)]
            common = {"article_id": article["article_id"], "outlet": outlet_label, "published": published,
                      "sentence_id": sent["sentence_id"], "sentence": text,
                      "hedged": bool(hedge.search(text)), "event_ids": None}
            if frame is None:
                claim = _unattributed(common, clause, (_body_start(clause), len(clause)), base, outlet, outlet_label,
                                      outlet_name, published, default_date)
                if claim:
                    claims.append(claim)
                continue
            if frame.head:  # "Iraqi forces retook X last Friday, and the command said …": the head is narrative
                claim = _unattributed(common, clause, frame.head, base, outlet, outlet_label, outlet_name,
                                      published, default_date)
                if claim:
                    claims.append(claim)
            who = resolve_claimant(frame.np, previous, speakers)
            actor, claimant, claimant_text = who.actor, who.name, frame.np.strip(" \"'“”")
            speakers.append(who)
            is_back_reference = actor is not None and find_actor(frame.np) is None
            date = _statement_date(clause, frame, spans, timexes, base)
            if date is None:
                date = last_date.get(claimant) if is_back_reference or PRONOUN.match(claimant_text) else None
                date = date or default_date
            last_date[claimant] = date
            attribution = "reported" if frame.verb == "according to" else "direct"
            chain = via_chain(outlet_label, who.relay or frame.relay, claimant)
            parts = [(frame.content, frame.verb)]
            if frame.adding:
                parts.append((frame.adding, "added"))
            for (a, b), verb in parts:
                content = clause[a:b].strip().strip("\"“”").strip().rstrip(",.")
                if not content:
                    continue
                offset = clause[a:b].index(content)
                claims.append({**common, **_claimant_fields(actor, claimant), "claimant_text": claimant_text,
                               "attribution": attribution, "via": chain, "verb": verb, "statement_date": date,
                               "content": content, "content_start": base + a + offset,
                               "content_end": base + a + offset + len(content), "stance": frame.stance})
    for n, claim in enumerate(claims, start=1):
        claim["claim_id"] = f"{article['article_id']}-c{n:03d}"
    return claims


def _unattributed(common, clause, span, base, outlet, outlet_label, outlet_name, published, default_date) -> dict | None:
    """The outlet's own narrative in clause[span], or None when it is too short to assert anything."""
    a, b = span
    raw = clause[a:b]
    content = raw.strip().strip("\"“”").rstrip(" ,.")
    if len(content.split()) < 3:
        return None
    start = base + a + raw.index(content)
    return {**common, **_claimant_fields(outlet, outlet_label), "claimant_text": outlet_name,
            "attribution": "unattributed", "via": outlet_label, "verb": None,
            "statement_date": published[:10] if published else default_date,
            "content": content, "content_start": start, "content_end": start + len(content), "stance": "for"}


def via_chain(outlet: str, relay: str | None, claimant: str) -> str:
    """Return the attribution chain from outlet to claimant, e.g. 'Gulf Daily < AFP < SOHR'.

    >>> via_chain("Xinhua", None, "al-Watan")
    'Xinhua < al-Watan'
    """
    links = [outlet]
    if relay and relay.lower() not in ("reporters", "journalists", "a news conference", "a press conference"):
        actor = find_actor(relay)
        links.append(actor.name if actor else _strip_determiner(relay))
    links.append(claimant)
    return " < ".join(dict.fromkeys(links))


def _statement_date(clause: str, frame: Frame, spans, timexes: list[dict], base: int) -> str | None:
    """Return the resolved date said of the statement: in the frame after the verb, else an opening adverbial."""
    content_a, content_b = frame.content
    in_frame, opening = [], []
    for t in timexes:
        s, e = t["start"] - base, t["end"] - base
        if not t.get("resolved") or t.get("type") not in ("DATE", "TIME") or len(str(t["resolved"])) < 10:
            continue
        if content_a <= s < content_b:
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
    return re.sub(r"^(?:the|a|an)\s+", "", np.strip(), flags=re.I)
