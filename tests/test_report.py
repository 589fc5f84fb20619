"""The report: papermill runs notebooks/report.ipynb on the seed, nbconvert exports HTML and PDF."""
import re
import shutil
import subprocess
from html.parser import HTMLParser

import nbformat
import papermill
import pytest
from hypothesis import given
from hypothesis import strategies as st

import analysis.pdf
from analysis.config import DEFAULT_CORPUS, NOTEBOOKS_DIR, ROOT
from analysis.errors import DatelineError
from analysis.products import product_folder, report_slug
from analysis.report import check_kernel, execute_report, run_report

SECTIONS = [
    r"1\. Key judgements",
    r"2\. Timeline",
    r"3\. Control of \S.*",
    r"4\. Who claims what",
    r"5\. Claims to corroborate",
    r"6\. Map",
    r"7\. Sources and method",
]


class Headings(HTMLParser):
    """Collects the text of every <h2> in a page."""

    def __init__(self):
        super().__init__()
        self.headings, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._inside = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == "h2":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.headings[-1] += data


def h2_headings(html: str) -> list[str]:
    parser = Headings()
    parser.feed(html)
    return [re.sub(r"\s+", " ", heading.replace("¶", "")).strip() for heading in parser.headings]


def section_positions(text: str) -> list[int]:
    """Return where each section heading first appears in `text` (-1 when missing)."""
    positions = []
    for pattern in SECTIONS:
        found = re.search(pattern.replace(r"\S.*", r"\S"), text)
        positions.append(found.start() if found else -1)
    return positions


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    return run_report(DEFAULT_CORPUS, out_dir=tmp_path_factory.mktemp("reports"))


def test_report_slug_names_a_report_by_title_else_place_and_dates():
    assert report_slug("Al-Bukamal: the last IS stronghold") == "al-bukamal-the-last-is-stronghold"
    assert report_slug("", "Deir ez-Zor", "2017-11-01", "2017-11-30") == "report-deir-ez-zor-2017-11-01-2017-11-30"
    assert report_slug() == "report"


@given(st.text(), st.text(), st.text(), st.text())
def test_report_slug_is_always_a_safe_file_name(title, place, start, end):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", report_slug(title, place, start, end))


def test_product_folder_stays_inside_the_output_folder(tmp_path):
    folder = product_folder(tmp_path, "../../etc/passwd")
    assert folder == tmp_path / "etc-passwd" and folder.is_dir()


def test_missing_chromium_names_the_apt_get_command(monkeypatch):
    monkeypatch.setattr(analysis.pdf, "CHROMIUM_CANDIDATES", ("/nonexistent/chromium",))
    with pytest.raises(DatelineError, match="apt-get install -y --no-install-recommends chromium"):
        analysis.pdf.find_chromium()


def test_kernel_python3_is_this_environment():
    check_kernel()


@pytest.mark.slow
def test_failing_cell_leaves_executed_copy_and_names_the_cell(tmp_path):
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    parameters = nbformat.v4.new_code_cell('corpus = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell("open(corpus)")]
    nbformat.write(notebook, tmp_path / "failing.ipynb")
    executed = tmp_path / "out.ipynb"
    with pytest.raises(DatelineError) as raised:
        execute_report(executed, {"corpus": "/no/such/corpus"}, notebook=tmp_path / "failing.ipynb")
    message = str(raised.value)
    assert "\n" not in message
    assert "open(corpus)" in message and "FileNotFoundError" in message and str(executed) in message
    assert executed.is_file()


@pytest.mark.slow
def test_report_writes_notebook_html_pdf_and_products_folder(seed_report):
    for kind in ("ipynb", "html", "pdf"):
        assert seed_report[kind].is_file() and seed_report[kind].stat().st_size > 0, kind
        assert seed_report[kind].stem == seed_report["folder"].name
    assert list(seed_report["folder"].glob("*.png")), "no chart PNGs saved"
    assert list(seed_report["folder"].glob("*.csv")) or list(seed_report["folder"].glob("*.parquet"))


@pytest.mark.slow
def test_report_html_has_the_seven_sections_in_order(seed_report):
    headings = h2_headings(seed_report["html"].read_text(encoding="utf-8"))
    sections = [heading for heading in headings if re.match(r"\d\. ", heading)]
    assert len(sections) == len(SECTIONS), sections
    for heading, pattern in zip(sections, SECTIONS):
        assert re.fullmatch(pattern, heading), (heading, pattern)


@pytest.mark.slow
def test_report_html_hides_code(seed_report):
    html = seed_report["html"].read_text(encoding="utf-8")
    assert "hl-ipython3" not in html  # nbconvert's class for highlighted code input
    assert "load_corpus" not in html and "corpus = " not in html


@pytest.mark.slow
def test_report_pdf_has_the_seven_sections_in_order(seed_report):
    assert shutil.which("pdftotext"), "pdftotext missing: run `make sysdeps`"
    text = subprocess.run(
        ["pdftotext", "-layout", str(seed_report["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    positions = section_positions(text)
    assert -1 not in positions, dict(zip(SECTIONS, positions))
    assert positions == sorted(positions)
    assert "load_corpus" not in text


@pytest.mark.slow
def test_report_on_missing_corpus_leaves_executed_copy_and_raises(tmp_path):
    with pytest.raises(DatelineError, match="executed copy: ") as raised:
        run_report(tmp_path / "no-such-corpus", out_dir=tmp_path / "reports")
    assert "\n" not in str(raised.value)
    assert (tmp_path / "reports" / "report.ipynb").is_file()
    assert not (tmp_path / "reports" / "report.pdf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("source", ["corpus", "tables"])
def test_explore_notebook_runs_on_the_seed_corpus_or_a_reports_tables(source, seed_report, tmp_path):
    parameters = {"corpus": str(DEFAULT_CORPUS)} if source == "corpus" else {"tables": str(seed_report["folder"])}
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "explore.ipynb"),
        str(tmp_path / "explore.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(tmp_path),  # relative defaults must not depend on where the kernel starts
        progress_bar=False,
    )


class ActiveContent(HTMLParser):
    """Collects what a browser would run: script elements, on* handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name.lower() in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag}[{name}={value}]")


HOSTILE_WIRE = (
    "Title <script>alert(1)</script>\n\n"
    "Source: Evil<img src=x onerror=alert(2)>| 2017-11-19 10:00:00|Editor: <a href='javascript:alert(5)'>x</a>\n\n"
    "DAMASCUS, Nov. 19 (Xinhua) -- The Syrian army captured the city of Raqqa from IS on Sunday, "
    "the <b onmouseover=alert(3)>paper</b> [link](javascript:alert(4)) said.\n"
)


@pytest.mark.slow
def test_report_escapes_scripts_handlers_and_links_from_input(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hostile.txt").write_text(HOSTILE_WIRE, encoding="utf-8")
    products = run_report(tmp_path / "in", out_dir=tmp_path / "out")
    parser = ActiveContent()
    parser.feed(products["html"].read_text(encoding="utf-8"))
    assert parser.found == []


@pytest.mark.slow
def test_corpus_without_events_still_renders_a_report_that_says_so(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "quiet.jsonl").write_text(
        '{"id": "q", "outlet": "Xinhua", "published": "2017-11-19", "text": "Officials met to discuss the weather."}\n')
    products = run_report(tmp_path / "in", out_dir=tmp_path / "out")
    text = subprocess.run(["pdftotext", str(products["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    assert "No events were extracted from this corpus (1 claim(s) in 1 article(s))" in " ".join(text.split())
    assert -1 not in section_positions(text)


def test_unknown_place_is_bad_usage_listing_the_places(capsys):
    from analysis.cli import main

    assert main(["report", "--place", "Atlantis", "--out", "/tmp/dateline-unknown-place"]) == 2
    err = capsys.readouterr().err
    assert "Atlantis" in err and "Abu Kamal" in err and err.count("\n") == 1


@pytest.mark.slow
def test_hostile_report_renders_in_chromium_without_running_anything(tmp_path):
    from playwright.sync_api import sync_playwright

    from analysis.pdf import CHROMIUM_ARGS, find_chromium

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hostile.txt").write_text(HOSTILE_WIRE, encoding="utf-8")
    html = export_html_only(tmp_path / "in", tmp_path / "out")
    fired = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(find_chromium()), args=list(CHROMIUM_ARGS))
        page = browser.new_page()
        page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # let any smuggled timer or onload fire
        active = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
                              .map(a => el.tagName + '[' + a.name + ']'))
            .concat([...document.scripts].map(s => 'script'))""")
        text = page.inner_text("body")
        browser.close()
    assert fired == [] and active == []
    assert "<script>alert(1)</script>" in text  # shown as text, escaped, not run


def export_html_only(corpus, out):
    return run_report(corpus, out_dir=out)["html"]


@pytest.mark.slow
def test_parameters_with_quotes_newlines_and_code_stay_data(tmp_path):
    title = 'Abu Kamal "brief"\n""" + __import__("os").system("touch INJECTED") + """ <b>x</b>'
    products = run_report(DEFAULT_CORPUS, title=title, out_dir=tmp_path)
    assert not (ROOT / "INJECTED").exists() and not (tmp_path / "INJECTED").exists()
    parser = ActiveContent()
    html = products["html"].read_text(encoding="utf-8")
    parser.feed(html)
    assert parser.found == [] and "<b>x</b>" not in html
    assert re.fullmatch(r"[a-z0-9-]+", products["pdf"].stem)


def test_a_started_chromium_prints_several_pdfs(tmp_path):
    from analysis.pdf import Chromium, find_chromium

    with Chromium(find_chromium()) as chromium:
        first = chromium.print_pdf("<h1>One</h1>")
        second = chromium.print_pdf("<h1>Two</h1><p>more</p>")
    for number, pdf in ((1, first), (2, second)):
        assert pdf.startswith(b"%PDF")
        (tmp_path / f"{number}.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "2.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "Two" in text.stdout and "more" in text.stdout


def test_a_chromium_that_cannot_start_is_one_line_when_printing(tmp_path):
    from analysis.pdf import Chromium

    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    with Chromium(fake) as chromium:
        with pytest.raises(DatelineError, match=f"Chromium at {fake} did not start") as raised:
            chromium.print_pdf("<p>x</p>")
    assert "\n" not in str(raised.value)
