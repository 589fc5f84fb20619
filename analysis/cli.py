"""Command line: `python -m analysis extract | timexes | report` (also the `dateline` script).

Exit codes: 0 done, 1 failure, 2 bad usage or (with --strict) bad input. Errors are one
line on stderr; set DATELINE_DEBUG=1 to see the traceback of an unexpected failure.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from . import config
from .errors import DatelineError, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: one line, exit 2
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dateline", description="Conflict news reports to a sourced timeline.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ex = sub.add_parser("extract", help="extract articles, timexes, claims and events tables")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.txt, .jsonl, .html)")
    ex.add_argument("--out", required=True, metavar="DIR", help="folder for the tables")
    ex.add_argument("--engine", choices=["local", "dask"], default="local")
    ex.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler address (default: a local cluster)")
    ex.add_argument("--strict", action="store_true", help="exit 2 when any input is skipped or flagged")

    tx = sub.add_parser("timexes", help="tag temporal expressions in plain text")
    tx.add_argument("file", nargs="?", help="text file (default: stdin)")
    tx.add_argument("--dct", help="anchor date YYYY-MM-DD")
    tx.add_argument("--jsonl", action="store_true", help='read {"id","dct","text"} lines on stdin')

    rp = sub.add_parser("report", help="build the HTML and PDF report")
    rp.add_argument("--corpus", default=str(config.DEFAULT_CORPUS))
    rp.add_argument("--place", default="")
    rp.add_argument("--start", default="")
    rp.add_argument("--end", default="")
    rp.add_argument("--title", default="")
    rp.add_argument("--out", default=str(config.REPORTS_DIR))
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return {"extract": run_extract, "timexes": run_timexes, "report": run_report}[args.command](args)
    except DatelineError as exc:
        print(f"dateline: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dateline: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # an unexpected failure is still one line unless debugging
        if os.environ.get("DATELINE_DEBUG"):
            raise
        print(f"dateline: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def run_extract(args) -> int:
    from .corpus import input_files, iter_articles
    from .pipeline import extract_stream

    def warn(row: dict) -> None:
        print(f"dateline: warning: {row['path']}: {row['status']}: {row['problem']}", file=sys.stderr)

    input_files(args.paths)  # a missing path is a usage error before any output is touched
    rows = iter_articles(args.paths)  # read lazily: the corpus never sits in memory whole
    if args.engine == "dask":
        from .distributed import extract_stream_dask

        done = extract_stream_dask(rows, args.out, scheduler=args.scheduler, progress=_progress_wanted(), warn=warn)
    else:
        done = extract_stream(rows, args.out, progress=_progress_wanted(), warn=warn)
    print(f"dateline: {done.articles_ok} article(s), {done.claims} claims, "
          f"{done.events} events -> {Path(args.out)} ({len(done.written)} files)", file=sys.stderr)
    return 2 if args.strict and done.flagged else 0


def _progress_wanted() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _parse_dct(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--dct must be a date YYYY-MM-DD, got '{value}'") from None


def run_timexes(args) -> int:
    from .timexes import tag_timexes

    if args.jsonl:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text, dct = record["text"], record.get("dct")
            except (json.JSONDecodeError, KeyError, TypeError):
                raise UsageError(f"stdin line {number}: expected a JSON object with 'text' (and 'id', 'dct')") from None
            print(json.dumps({"id": record.get("id"), "timexes": tag_timexes(text, _parse_dct(dct))}))
        return 0
    dct = _parse_dct(args.dct)
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    else:
        text = sys.stdin.read()
    for timex in tag_timexes(text, dct):
        print(json.dumps(timex))
    return 0


def run_report(args) -> int:
    from .report import run_report as build

    products = build(corpus=args.corpus, place=args.place, start=args.start, end=args.end, title=args.title,
                     out_dir=args.out)
    for kind, path in products.items():
        print(f"dateline: {kind}: {path}", file=sys.stderr)
    return 0
