"""Corpus loading: files and JSON Lines records to the `articles` table.

Every input file (and every JSONL line) yields one row, with `status` ok or skipped and a
`problem` saying why, so nothing is lost silently. Body text keeps the dateline, because
the dateline carries the anchor date of the story.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import yaml
from dateutil import parser as dateparser

from . import config
from .errors import InputError

ARTICLE_COLUMNS = [
    "article_id", "path", "title", "outlet", "published", "dateline_place", "dateline_date",
    "anchor_date", "editor", "url", "n_claims", "n_events", "status", "problem", "text",
    # beyond the contract: the agency named in the dateline ("(AFP)"), which a reprint relays
    "agency",
]
FORMATS = {".txt": "wire", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}

# "DAMASCUS, Nov. 19 (Xinhua) --" / "BEIRUT, Syria, November 8, 2017 (AFP) -" / "MOSCOW, Nov 18 (Reuters) -".
# An agency without brackets ("BEIRUT AFP -") stands apart from the dash: "the US-led" is a hyphen, not a dateline.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'’.\- ]{1,40}?(?:,\s+[A-Z][A-Za-z.\- ]{1,30}?)?),?\s+"
    r"(?:(?:(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"|(?P<day_first>\d{1,2})\s+(?P<month_second>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?\s*)?"
    r"(?:\((?P<agency>[^)]{1,40})\)\s*|(?P<agency_bare>[A-Z]{2,10})\s+)?(?:--|—|–|-)\s*"
)
# "Source: Xinhua| 2017-11-19 16:27:48|Editor: liuxin": key/value fields split on pipes.
METADATA_FIELD = re.compile(r"^\s*(source|editor|published|date|by|author|url|link)\s*:\s*(.*?)\s*$", re.I)
BYLINE = re.compile(r"^\s*By\s+([A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|de|al-\w+)){0,5})\s*$")
BARE_TIMESTAMP = re.compile(r"^\s*\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\s*$")


def _boilerplate_patterns() -> re.Pattern:
    alternatives = yaml.safe_load((config.DATA_DIR / "boilerplate.yaml").read_text(encoding="utf-8"))["patterns"]
    return re.compile(r"^(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")$", re.I)


BOILERPLATE = _boilerplate_patterns()
_BLANK_LINES = re.compile(r"\n{3,}")


def load_corpus(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Return the `articles` table for files or folders (folders read recursively, sorted).

    >>> load_corpus("data/corpus").loc[0, ["outlet", "anchor_date"]].tolist()
    ['Xinhua', '2017-11-19']
    """
    rows = list(iter_articles(paths))
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    return _flag_duplicates(frame)


def iter_articles(paths: str | Path | Iterable[str | Path]) -> Iterator[dict]:
    """Yield one article row per input file or JSONL line, in path order."""
    for path in input_files(paths):
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            yield _skipped(path, path.stem, f"unknown format '{path.suffix or 'no extension'}'")
        elif kind == "jsonl":
            yield from _read_jsonl(path)
        else:
            yield _read_document(path, kind)


def input_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Return the input files under `paths`, folders expanded recursively and sorted by path."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"no such file or folder: {p}")
    return files


def _read_document(path: Path, kind: str) -> dict:
    raw = path.read_bytes()
    if not raw.strip():
        return _skipped(path, path.stem, "empty file")
    if b"\x00" in raw[:4096]:
        return _skipped(path, path.stem, "binary file")
    text, problem = _decode(raw)
    row = parse_html(text) if kind == "html" else parse_wire_text(text)
    row.update(article_id=safe_id(path.stem), path=str(path))
    return _finish(row, problem)


def _read_jsonl(path: Path) -> Iterator[dict]:
    stem = path.stem
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where, fallback_id = f"{path}:{number}", f"{stem}-{number}"  # made safe only where used
            line, problem = _decode(raw)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield _skipped(where, safe_id(fallback_id), f"broken JSON line ({exc.msg})")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
                yield _skipped(where, safe_id(fallback_id), "no text")
                continue
            row = parse_wire_text(record["text"], has_header=False)
            for key in ("title", "outlet", "url"):
                if record.get(key):
                    row[key] = str(record[key])
            if record.get("published"):
                row["published"] = _iso_datetime(str(record["published"]))
            row.update(article_id=safe_id(str(record.get("id") or fallback_id)), path=where)
            yield _finish(row, problem)


def parse_wire_text(text: str, has_header: bool = True) -> dict:
    """Return title, metadata and body of a wire story; page chrome lines dropped.

    >>> parse_wire_text("Title\\n\\nSource: Xinhua| 2017-11-19 16:27:48|Editor: liuxin\\n\\nDAMASCUS, Nov. 19 (Xinhua) -- Body.")["outlet"]
    'Xinhua'
    """
    row: dict = {"title": None, "outlet": None, "published": None, "editor": None, "url": None}
    body_lines: list[str] = []
    in_header = has_header
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and BOILERPLATE.match(stripped):
            continue
        if in_header and stripped:
            if row["title"] is None:
                row["title"] = stripped
                continue
            if _read_metadata(stripped, row):
                continue
            in_header = False
        if not in_header:
            body_lines.append(stripped)
    body = "\n".join(body_lines)
    if "\n\n\n" in body:
        body = _BLANK_LINES.sub("\n\n", body)
    body = body.strip()
    row["text"] = body
    row.update(read_dateline(body))
    return row


def _read_metadata(line: str, row: dict) -> bool:
    """Fill `row` from a metadata line; return whether the line was metadata."""
    fields = [f for f in line.split("|") if f.strip()]
    found = False
    for field in fields:
        m = METADATA_FIELD.match(field)
        if m:
            key, value = m.group(1).lower(), m.group(2)
            if key == "source":
                row["outlet"] = value or row["outlet"]
            elif key in ("editor", "by", "author"):
                row["editor"] = value or None
            elif key in ("url", "link"):
                row["url"] = value or None
            else:
                row["published"] = _iso_datetime(value)
            found = True
        elif BYLINE.match(field):
            row["editor"] = BYLINE.match(field).group(1)
            found = True
        elif BARE_TIMESTAMP.match(field):
            row["published"] = _iso_datetime(field.strip())
            found = True
    return found


def dateline_match(text: str) -> re.Match | None:
    """Return the dateline opening `text` ("DAMASCUS, Nov. 19 (Xinhua) --", "BEIRUT (Reuters) -"), or None.

    A dateline needs a date or an agency, so an ordinary sentence with a dash is not one.
    """
    # DATELINE opens with A-Z and holds a dash: most sentences (claims asks of every clause) fail that cheaply
    if not ("A" <= text[:1] <= "Z" and ("-" in text or "—" in text or "–" in text)):
        return None
    m = DATELINE.match(text)
    if m and (m.group("month") or m.group("month_second") or m.group("agency") or m.group("agency_bare")) \
            and len(m.group("place")) <= 45:
        return m
    return None


def _month_day(m: re.Match) -> tuple[int, int] | None:
    """(month, day) of a dateline written 'Nov. 19' or '19 November'."""
    month, day = (m.group("month"), m.group("day")) if m.group("month") else (m.group("month_second"), m.group("day_first"))
    return (MONTHS[month[:3].lower()], int(day)) if month else None


def read_dateline(body: str) -> dict:
    """Return dateline_place, the dateline month/day and agency of a body, if it opens with one.

    The date is completed to a full date later, against the publication date.
    """
    m = dateline_match(body)
    if not m:
        return {"dateline_place": None, "dateline_month_day": None, "dateline_year": None, "dateline_agency": None}
    place = m.group("place").split(",")[0].strip().title()
    return {
        "dateline_place": place,
        "dateline_month_day": _month_day(m),
        "dateline_year": int(m.group("year")) if m.group("year") else None,
        "dateline_agency": m.group("agency") or m.group("agency_bare"),
    }


def parse_html(text: str) -> dict:
    """Return title, metadata and main text of a saved web page, extracted by trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    if doc is None:
        return {"title": None, "outlet": None, "published": None, "editor": None, "url": None, "text": ""}
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    row = parse_wire_text(get("text") or "", has_header=False)
    row.update(title=get("title"), outlet=get("sitename") or get("hostname"),
               published=_iso_datetime(get("date")) if get("date") else None,
               editor=get("author"), url=get("url"))
    return row


def _finish(row: dict, problem: str | None) -> dict:
    """Complete the dateline date and anchor date; flag what is missing."""
    published = row.get("published")
    pub_date = date.fromisoformat(published[:10]) if published else None
    month_day = row.pop("dateline_month_day", None)
    year = row.pop("dateline_year", None)
    agency = row.pop("dateline_agency", None)
    row["outlet"] = row.get("outlet") or agency
    row["agency"] = agency
    row["dateline_date"] = _complete_date(month_day, year, pub_date)
    anchor = row["dateline_date"] or (pub_date.isoformat() if pub_date else None)
    row["anchor_date"] = anchor
    problems = [p for p in (problem,) if p]
    if not row.get("text"):
        return _skipped(row["path"], row["article_id"], "no text", row)
    if anchor is None:
        problems.append("no usable date: relative dates left unresolved")
    row.update(status="ok", problem="; ".join(problems) or None, n_claims=None, n_events=None)
    return row


def _complete_date(month_day: tuple[int, int] | None, year: int | None, published: date | None) -> str | None:
    """Return the ISO date of a dateline's month/day: the year that keeps it on or before publication."""
    if month_day is None:
        return None
    month, day = month_day
    for candidate in ([year] if year else ([published.year, published.year - 1] if published else [])):
        try:
            value = date(candidate, month, day)
        except ValueError:
            return None
        if year or published is None or value <= published:
            return value.isoformat()
    return None


def _decode(raw: bytes) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), "undecodable bytes replaced"


def _iso_datetime(value: str) -> str | None:
    try:  # ISO 8601, the usual case, without dateutil's general (and slow) parser
        parsed = datetime.fromisoformat(value)
    except (ValueError, TypeError):
        try:
            parsed = dateparser.parse(value)
        except (ValueError, OverflowError, TypeError):
            return None
    return None if parsed is None else parsed.replace(tzinfo=None).isoformat()


def _skipped(path, article_id: str, problem: str, row: dict | None = None) -> dict:
    base = {c: None for c in ARTICLE_COLUMNS}
    if row:
        base.update({k: v for k, v in row.items() if k in base})
    base.update(article_id=article_id, path=str(path), status="skipped", problem=problem, text=None)
    return base


def safe_id(value: str) -> str:
    """Return an article id safe as a file name: letters, digits, '-', '_' and '.' only.

    >>> safe_id("../../etc/passwd")
    'etc-passwd'
    """
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-.")
    return cleaned[:120] or "article"


def _flag_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    duplicated = frame["article_id"].duplicated() & frame["status"].eq("ok")
    frame.loc[duplicated, "status"] = "skipped"
    frame.loc[duplicated, "problem"] = "duplicate id"
    return frame
