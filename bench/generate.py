"""Seeded generator of wire articles about the wars in Syria and Iraq, for the speed benchmark.

    python bench/generate.py 1000 --out /tmp/articles-1k.jsonl [--seed 2017]

Writes JSON Lines in the corpus format of SPEC.md (`id`, `title`, `outlet`, `published`,
`text`): a wire dateline ("DAMASCUS, Nov. 19 (Xinhua) --") opens most bodies, then
paragraphs of captures, air strikes, shelling, clashes, bombings, displacement and
diplomacy, attributed to claimants ("the Syrian Observatory for Human Rights said",
"according to al-Watan"), some hedged, dated the way wire copy dates things ("on Sunday",
"a day earlier", "late on Nov. 8", "last month"), with background paragraphs and aircraft
designations (Tu-22M3) that are not dates. Lengths run from two-paragraph briefs to long
round-ups.

Names come from the project's dictionaries (data/actors.yaml, data/outlets.yaml); places
from bench/places.csv, a list of well-known Syrian and Iraqi towns and their provinces
written for this benchmark. The sentences are templates written for this benchmark; the
events they describe are random and never happened as told. Article i depends only on the
seed and i, so the first 1,000 articles of a 10k file are the 1k file.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
ACTORS_FILE = ROOT / "data" / "actors.yaml"
OUTLETS_FILE = ROOT / "data" / "outlets.yaml"
PLACES_FILE = BENCH_DIR / "places.csv"

# Agencies that file datelined wire copy, as they sign it in the dateline.
WIRE_AGENCIES = ["Xinhua", "Reuters", "AFP", "AP", "dpa", "EFE", "Kyodo", "Anadolu", "TASS", "Sputnik",
                 "IRNA", "Interfax"]
DATELINE_CITIES = {"DAMASCUS": "Syria", "BEIRUT": "Lebanon", "BAGHDAD": "Iraq", "MOSCOW": "Russia",
                   "AMMAN": "Jordan", "ANKARA": "Turkey", "CAIRO": "Egypt", "GENEVA": "Switzerland"}
MONTH_ABBR = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
MONTH_NAME = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen", "dozens of"]
DIRECTIONS = ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"]
AIRCRAFT = ["Tu-22M3 long-range bombers", "Su-34 fighter-bombers", "Su-24 bombers", "Su-30SM fighters",
            "F-16 jets", "MiG-23 jets", "Mi-28 helicopters", "B-52 bombers"]
SAY = ["said", "said", "said", "reported", "announced", "claimed", "told reporters", "added", "stated"]
# Institutions named by a common noun take "the" ("the Russian Defense Ministry said").
THE_WORDS = {"ministry", "government", "command", "staff", "centre", "center", "coalition", "council", "kremlin",
             "pentagon", "army", "military", "department", "observatory", "nations", "organization", "organisation",
             "programme", "program", "fund", "network", "cross", "crescent", "corps", "units", "regime", "agency",
             "helmets", "front"}
NOT_FIGHTERS = ("Command", "Staff", "Centre", "Center", "Council")
HEDGES = ["The report could not be independently verified.",
          "There was no immediate comment from the other side.",
          "The claim could not be verified independently.",
          "Casualty figures could not be confirmed."]


@dataclass(frozen=True)
class Names:
    """The names an article can draw on, read from the project's dictionaries."""

    fighters: list[tuple[str, str]]  # (name as written, alignment) of armies and armed groups
    islamic_state: list[str]  # the usual enemy in 2015-2019 copy, as written
    claimants: list[str]     # governments, officials, militaries: who says things
    monitors: list[str]      # monitors and NGOs
    media: list[str]         # outlets cited inside a story ("al-Watan newspaper")
    agencies: list[str]      # wire agencies that sign the dateline
    places: list[dict]


def load_names() -> Names:
    """Return the Names of the project's dictionaries, e.g. Names(fighters=['Syrian army', ...], ...)."""
    actors = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))["entries"]
    outlets = yaml.safe_load(OUTLETS_FILE.read_text(encoding="utf-8"))["entries"]
    with PLACES_FILE.open(encoding="utf-8") as handle:
        places = list(csv.DictReader(handle))

    def written(entry: dict) -> list[str]:
        return [entry["name"], *entry.get("aliases", [])[:3]]

    def institution(name: str) -> str:
        return f"the {name}" if name.split()[-1].lower() in THE_WORDS else name

    by_type = lambda *types: [institution(a) for e in actors if e["type"] in types for a in written(e)]
    outlet_names = {e["name"] for e in outlets}
    return Names(
        fighters=[(institution(a), e["alignment"]) for e in actors if e["type"] in ("military", "armed_group")
                  for a in written(e) if not a.endswith(NOT_FIGHTERS)],
        islamic_state=[a for e in actors if e["name"] == "Islamic State" for a in written(e)],
        claimants=by_type("government", "military", "official"),
        monitors=by_type("monitor", "ngo"),
        media=[a for e in outlets if e["name"] not in WIRE_AGENCIES for a in written(e)[:2]],
        agencies=[a for a in WIRE_AGENCIES if a in outlet_names] or WIRE_AGENCIES,
        places=places,
    )


class ArticleWriter:
    """Writes one article from a seeded random source; `article()` returns its JSON record."""

    def __init__(self, names: Names, rng: random.Random, number: int):
        self.n, self.rng, self.number = names, rng, number
        self.anchor = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        self.place = rng.choice(names.places)
        self.side, alignment = rng.choice([f for f in names.fighters if f[1] != "Islamic State"])
        others = [name for name, a in names.fighters if a != alignment]
        self.enemy = rng.choice(names.islamic_state if rng.random() < 0.6 and names.islamic_state else others)

    # ---------------------------------------------------------------- dates as wire copy writes them
    def month_day(self, day: dt.date) -> str:
        return f"{MONTH_ABBR[day.month - 1]} {day.day}"

    def when(self) -> str:
        """Return a temporal phrase about a day on or before the anchor ("on Sunday", "a day earlier")."""
        r, a = self.rng, self.anchor
        back = a - dt.timedelta(days=r.randrange(1, 7))
        earlier = a - dt.timedelta(days=r.randrange(7, 40))
        return r.choice([
            f"on {WEEKDAYS[back.weekday()]}", f"on {WEEKDAYS[a.weekday()]}", f"on {self.month_day(earlier)}",
            f"late on {self.month_day(back)}", f"on {WEEKDAYS[back.weekday()]} night", "a day earlier",
            "the previous day", "earlier this week", "last month", "this month", f"in {MONTH_NAME[earlier.month - 1]}",
            f"over the past {r.choice(NUMBER_WORDS[:5])} days", f"{r.choice(NUMBER_WORDS[:4])} days ago",
            f"at dawn on {WEEKDAYS[back.weekday()]}", f"on {WEEKDAYS[back.weekday()]} morning", "recently",
        ])

    def said_when(self) -> str:
        return self.rng.choice(["on " + WEEKDAYS[self.anchor.weekday()], WEEKDAYS[self.anchor.weekday()], "", "",
                                "in a statement", "on its website", "in a televised statement"])

    # ---------------------------------------------------------------- the parts of a story
    def other_place(self) -> str:
        return self.rng.choice(self.n.places)["name"]

    def claimant(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.35:
            return r.choice(self.n.media)
        if kind < 0.6:
            return r.choice(self.n.monitors)
        return r.choice(self.n.claimants)

    def fighter(self) -> str:
        return self.rng.choice(self.n.fighters)[0]

    def sentence(self) -> str:
        r, p = self.rng, self.place
        k, k2 = r.randrange(2, 60), r.randrange(2, 120)
        claimant, when = self.claimant(), self.when()
        templates = [
            f"{self.side} captured {p['name']} from {self.enemy} {when}, {claimant} {r.choice(SAY)}.",
            f"{self.side} have taken control of {r.randrange(20, 95)} percent of {p['name']}, "
            f"{claimant} {r.choice(SAY)} {self.said_when()}.".replace("  ", " ").replace(" .", "."),
            f"{claimant} said {when} that {self.side} had retaken {r.choice(NUMBER_WORDS)} villages near "
            f"{p['name']} in the {p['province']} province.",
            f"{r.choice(NUMBER_WORDS).capitalize()} air strikes hit {self.enemy} positions near {p['name']} {when}, "
            f"killing at least {k} militants, according to {claimant}.",
            f"Warplanes struck the outskirts of {p['name']} {when}, {claimant} said, adding that {k} civilians "
            f"were killed, among them {r.randrange(1, 10)} children.",
            f"The ministry said {r.choice(NUMBER_WORDS[:6])} {r.choice(AIRCRAFT)} struck targets near "
            f"{p['name']} {when}, destroying {r.randrange(3, 40)} vehicles and an ammunition depot.",
            f"Shelling by {self.enemy} on residential areas of {p['name']} killed {k} people and wounded {k2} "
            f"others {when}, {claimant} reported.",
            f"Fierce clashes broke out {when} between {self.side} and {self.enemy} on the outskirts of "
            f"{p['name']}, about {r.randrange(5, 90)} km {r.choice(DIRECTIONS)} of {self.other_place()}.",
            f"A car bomb exploded at a checkpoint in {p['name']} {when}, killing {k} people, {claimant} said. "
            "No group immediately claimed responsibility.",
            f"{claimant} said {when} that some {r.randrange(2, 90)},000 people had fled {p['name']} since "
            f"{MONTH_NAME[r.randrange(12)]}.",
            f"\"We will not stop until the last terrorist is driven out of {p['name']},\" "
            f"{r.choice(self.n.claimants)} told reporters {when}.",
            f"{self.enemy} launched a counter-offensive {when} and clawed back parts of {p['name']}, "
            f"{claimant} said.",
            f"{claimant} said {self.fighter()} fighters were advancing towards {self.other_place()} "
            "and were expected to reach the town within days.",
            f"Talks on a ceasefire around {p['name']} are due to resume in Geneva next month, "
            f"{r.choice(self.n.claimants)} said.",
        ]
        return _capitalised(r.choice(templates))

    def background(self) -> str:
        r, p = self.rng, self.place
        return _capitalised(r.choice([
            f"The war in Syria, which began in March 2011, has killed more than {r.randrange(300, 500)},000 "
            "people and displaced millions." if p["country"] == "Syria" else
            "Iraqi forces declared victory over IS in December 2017, three years after the group "
            "swept across the north and west of the country.",
            f"{r.choice(self.n.islamic_state)} seized large parts of Syria and Iraq in 2014 and declared a so-called caliphate.",
            f"{p['name']} lies in the {p['province']} province, about {r.randrange(10, 200)} km "
            f"{r.choice(DIRECTIONS)} of {self.other_place()}.",
            f"Since September 2015, Russian aircraft have supported {self.side} in the {p['province']} countryside.",
            f"Last month, {self.fighter()} captured {self.other_place()}, once a stronghold of {self.enemy}.",
            f"The {p['province']} province has changed hands several times over the past {r.randrange(2, 6)} years.",
        ]))

    def paragraphs(self) -> list[str]:
        r = self.rng
        size = r.random()
        count = r.randrange(3, 6) if size < 0.3 else r.randrange(6, 15) if size < 0.8 else r.randrange(15, 31)
        out = []
        for _ in range(count):
            if r.random() < 0.2:
                out.append(self.background())
            else:
                text = self.sentence()
                if r.random() < 0.25:
                    text += " " + r.choice(HEDGES)
                elif r.random() < 0.35:
                    text += " " + self.sentence()
                out.append(text)
        return out

    def dateline(self, agency: str) -> str:
        r, a = self.rng, self.anchor
        cities = {**DATELINE_CITIES, self.place["name"].upper(): self.place["country"]}
        city = r.choice(list(cities))
        return r.choice([
            f"{city}, {self.month_day(a)} ({agency}) -- ",
            f"{city}, {cities[city]}, {MONTH_NAME[a.month - 1]} {a.day}, {a.year} ({agency}) - ",
            f"{city}, {MONTH_ABBR[a.month - 1].rstrip('.')} {a.day} ({agency}) - ",
        ])

    def article(self) -> dict:
        r, a = self.rng, self.anchor
        agency = r.choice(self.n.agencies)
        # Wire copy is often posted the day after its dateline; the dateline then anchors the story.
        published = dt.datetime.combine(a, dt.time(r.randrange(24), r.randrange(60))) \
            + dt.timedelta(days=r.random() < 0.2)
        paragraphs = self.paragraphs()
        if r.random() < 0.85:
            paragraphs[0] = self.dateline(agency) + paragraphs[0]
        verb = r.choice(["retook", "captured", "pounded", "shelled", "advanced on", "struck near"])
        title = _capitalised(f"{self.side} {verb} {self.place['name']}")
        return {"id": f"gen-{self.number:07d}", "title": title, "outlet": agency,
                "published": published.isoformat(timespec="seconds"), "text": "\n\n".join(paragraphs)}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def generate_articles(count: int, seed: int = 2017):
    """Yield `count` article records; e.g. next(generate_articles(1))["id"] == "gen-0000000"."""
    names = load_names()
    for number in range(count):
        yield ArticleWriter(names, random.Random(f"{seed}-{number}"), number).article()


def write_jsonl(path: str | Path, count: int, seed: int = 2017) -> int:
    """Write `count` articles as JSON Lines to `path`; return the number of words of their texts."""
    words = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for record in generate_articles(count, seed):
            words += len(record["text"].split())
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("--out", required=True, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)
    words = write_jsonl(args.out, args.count, args.seed)
    print(f"{args.count} articles, {words} words -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
