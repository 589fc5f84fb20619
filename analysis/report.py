"""Run the report notebook with papermill and export it to HTML and PDF with nbconvert.

    paths = run_report(place="al-Bukamal", start="2017-11-01")
    paths["pdf"]  # reports/report-al-bukamal-2017-11-01.pdf
"""
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from jupyter_client import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError
from traitlets import CaselessStrEnum, default

from analysis import errors
from analysis.config import DEFAULT_CORPUS, REPORT_NOTEBOOK, REPORTS_DIR, ROOT
from analysis.errors import DatelineError
from analysis.files import replaced_atomically
from analysis.pdf import Chromium, SystemChromiumPDFExporter, brief_html_exporter, find_chromium
from analysis.products import report_slug

__all__ = ["run_report", "export_html", "export_pdf", "export_reports", "report_slug"]

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
TITLE_TAG = "title"  # the report notebook's cell whose Markdown output is the brief's title


class LocalSocketKernelManager(AsyncKernelManager):
    """A kernel on Unix sockets in a private temporary folder, not on loopback TCP ports.

    Nothing else on the machine can connect, so there is nothing to encrypt and ipykernel
    does not warn about plain-text TCP on every run.
    """

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _socket_path(self) -> str:
        return str(Path(tempfile.mkdtemp(prefix="dateline-kernel-")) / "kernel")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(Path(self.ip).parent, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


def run_report(
    corpus=DEFAULT_CORPUS,
    place: str = "",
    start: str = "",
    end: str = "",
    title: str = "",
    out_dir=REPORTS_DIR,
) -> dict[str, Path]:
    """Execute notebooks/report.ipynb on `corpus` and return the paths of its products.

    Returns {"ipynb", "html", "pdf", "folder"}, e.g. {"pdf": reports/report-raqqa.pdf, ...};
    the folder holds the tables and chart PNGs the notebook saved. Raises DatelineError
    (one line) when the notebook fails, after the executed copy is written.
    """
    out_dir = Path(out_dir).resolve()
    slug = report_slug(title, place, start, end)
    paths = {
        "ipynb": out_dir / f"{slug}.ipynb",
        "html": out_dir / f"{slug}.html",
        "pdf": out_dir / f"{slug}.pdf",
        "folder": out_dir / slug,
    }
    chromium = find_chromium()  # before minutes of work, not after
    check_kernel()
    out_dir.mkdir(parents=True, exist_ok=True)
    # Exports of an earlier run must not sit beside a notebook that failed this time.
    for stale in (paths["html"], paths["pdf"]):
        stale.unlink(missing_ok=True)

    # Relative paths mean the caller's working directory; the kernel runs in ROOT.
    parameters = {
        "corpus": str(Path(corpus).resolve()),
        "place": place,
        "start": start,
        "end": end,
        "title": title,
        "out_dir": str(out_dir),
    }
    # Chromium starts on the other core while the notebook runs, ready for the PDF after it.
    with Chromium(chromium) as browser:
        started = time.perf_counter()
        execute_report(paths["ipynb"], parameters)
        executed = time.perf_counter()
        export_html(paths["ipynb"], paths["html"])
        exported_html = time.perf_counter()
        export_pdf(paths["ipynb"], paths["pdf"], browser=browser)
        log.info(
            "report %s: notebook %.1fs, html %.1fs, pdf %.1fs",
            slug,
            executed - started,
            exported_html - executed,
            time.perf_counter() - exported_html,
        )
    return paths


def execute_report(output: Path, parameters: dict, notebook: Path = REPORT_NOTEBOOK) -> Path:
    """Execute `notebook` with papermill `parameters` into `output`; return `output`.

    Parameters are injected by papermill as literals in a cell of their own, never spliced
    into code. A failing cell still leaves the executed copy at `output`.
    """
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(ROOT),
            progress_bar=False,
            kernel_manager_class=LocalSocketKernelManager,
        )
    except PapermillExecutionError as error:
        raise _notebook_error(error, output) from error
    except Exception as error:  # kernel died or would not start: still one line
        raise DatelineError(
            f"report notebook {notebook.name} did not run ({type(error).__name__}: "
            f"{_first_line(str(error))}); executed copy: {output}"
        ) from error
    return output


def export_html(ipynb, html) -> Path:
    """Write the executed notebook `ipynb` as a brief in HTML (no code); return the HTML path."""
    notebook, resources = _read_executed(Path(ipynb))
    body, _ = brief_html_exporter().from_notebook_node(notebook, resources=resources)
    return _write_atomic(Path(html), body.encode("utf-8"))


def export_pdf(ipynb, pdf, chromium: Path | None = None, browser: Chromium | None = None) -> Path:
    """Write the executed notebook `ipynb` as a PDF brief printed by the system Chromium; return its path.

    `browser`, a Chromium already started, prints it without waiting for a launch.
    """
    notebook, resources = _read_executed(Path(ipynb))
    exporter = SystemChromiumPDFExporter(chromium=chromium or find_chromium(), browser=browser)
    pdf_bytes, _ = exporter.from_notebook_node(notebook, resources=resources)
    return _write_atomic(Path(pdf), pdf_bytes)


def export_reports(out_dir=REPORTS_DIR, kind: str = "html") -> list[Path]:
    """Re-export every executed report notebook in `out_dir` to `kind` ("html" or "pdf").

    Returns the written paths, e.g. [reports/report.pdf]; for `make html` and `make pdf`.
    """
    exporters = {"html": export_html, "pdf": export_pdf}
    if kind not in exporters:
        raise errors.UsageError(f"cannot export to {kind!r}; choose html or pdf")
    notebooks = sorted(Path(out_dir).glob("*.ipynb"))
    if not notebooks:
        raise DatelineError(f"no executed report in {out_dir}; run `make report` first")
    return [exporters[kind](ipynb, ipynb.with_suffix(f".{kind}")) for ipynb in notebooks]


def check_kernel() -> None:
    """Raise DatelineError unless the kernel `python3` runs this environment's Python.

    papermill resolves kernel names through Jupyter's search path, where a user-level
    kernelspec can shadow this environment's; the report would then miss our packages.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv
    except NoSuchKernel as error:
        raise DatelineError(
            f"no Jupyter kernel '{KERNEL_NAME}'; run: {sys.executable} -m pip install ipykernel"
        ) from error
    # jupyter_client replaces a bare "python" with sys.executable at launch.
    bare = {"python", "python3", f"python3.{sys.version_info.minor}"}
    if argv and argv[0] not in bare and Path(argv[0]).parent != Path(sys.executable).parent:
        raise DatelineError(
            f"Jupyter kernel '{KERNEL_NAME}' runs {argv[0]}, not this environment's "
            f"{sys.executable}; remove the kernelspec that shadows it (see: "
            f"{Path(sys.executable).parent / 'jupyter'} kernelspec list)"
        )


def _notebook_error(error: PapermillExecutionError, output: Path) -> DatelineError:
    """Return the project's error for a failed cell, keeping its exit code when it was ours."""
    source = _first_line(error.source or "")
    message = (
        f"report notebook failed in cell {error.exec_count} (`{source}`): "
        f"{error.ename}: {_first_line(error.evalue)}; executed copy: {output}"
    )
    error_class = getattr(errors, error.ename, DatelineError)
    if not (isinstance(error_class, type) and issubclass(error_class, DatelineError)):
        error_class = DatelineError
    return error_class(message)


def _read_executed(ipynb: Path):
    """Return the executed notebook and nbconvert resources naming it after its file."""
    if not ipynb.is_file():
        raise DatelineError(f"no executed report at {ipynb}; run `make report` first")
    notebook = nbformat.read(ipynb, as_version=4)
    title = _brief_title(notebook)
    if title:
        notebook.metadata["title"] = title
    resources = {"metadata": {"name": ipynb.stem, "path": str(ipynb.parent)}}
    return notebook, resources


def _brief_title(notebook) -> str:
    """Return the report title the notebook printed in its cell tagged `title`, or ""."""
    for cell in notebook.cells:
        if TITLE_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            for line in (text if isinstance(text, str) else "".join(text)).splitlines():
                if line.strip():
                    return line.strip().lstrip("#").strip()
    return ""


def _write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (files.replaced_atomically)."""
    with replaced_atomically(path) as handle:
        handle.write(data)
    return path


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def main(argv=None) -> int:
    """`python -m analysis.report html|pdf [OUT_DIR]`: re-export executed reports; returns the exit code."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.report", description=export_reports.__doc__)
    parser.add_argument("kind", choices=("html", "pdf"))
    parser.add_argument("out_dir", nargs="?", default=str(REPORTS_DIR))
    args = parser.parse_args(argv)
    try:
        for path in export_reports(args.out_dir, args.kind):
            print(path)
    except DatelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
