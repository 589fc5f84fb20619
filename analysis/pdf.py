"""The brief's pages: nbconvert exporters for HTML and for PDF printed by the system Chromium.

nbconvert's WebPDFExporter asks playwright for a browser build it downloads itself; this
machine (and CI) cannot download one, so `SystemChromiumPDFExporter` launches Debian's
`chromium` from `config.CHROMIUM_CANDIDATES` instead. Both exporters hide code and prompts,
load nothing from the network (no require.js, MathJax or Mermaid: a "$" in a news story is
a dollar, not math) and add print CSS so the pages read as a brief.
"""
import asyncio
import concurrent.futures
import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Iterable

from nbconvert.exporters import HTMLExporter, WebPDFExporter

from analysis.config import CHROMIUM_CANDIDATES
from analysis.errors import DatelineError

SYSDEPS_INSTALL = (
    "apt-get update && apt-get install -y --no-install-recommends "
    "chromium fonts-dejavu-core poppler-utils"
)

# Running as root without network: no sandbox, no GPU, and nothing that phones home.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
)

BRIEF_CSS = """
:root {
  --jp-content-font-family: "DejaVu Serif", Georgia, serif;
  --jp-ui-font-family: "DejaVu Sans", Arial, sans-serif;
  --jp-code-font-family: "DejaVu Sans Mono", monospace;
  --jp-content-font-size1: 10.5pt;
}
body.jp-Notebook { padding: 0; max-width: 52rem; margin: 0 auto; }
.jp-Cell { padding: 0; }
.jp-Notebook .jp-MarkdownOutput { padding-left: 0; }  /* align Markdown cells with Markdown output */
.jp-RenderedMarkdown h1 { font-family: var(--jp-ui-font-family); font-size: 20pt; margin: 0 0 0.2em; }
.jp-RenderedMarkdown h2 {
  font-family: var(--jp-ui-font-family); font-size: 14pt; margin-top: 1.2em;
  border-bottom: 1px solid #999; padding-bottom: 2px;
}
.jp-RenderedMarkdown h3 { font-family: var(--jp-ui-font-family); font-size: 11.5pt; }
.jp-RenderedMarkdown p, .jp-RenderedMarkdown li { line-height: 1.45; }
.jp-RenderedHTMLCommon table {
  width: 100%; table-layout: auto; border-collapse: collapse;
  font-family: var(--jp-ui-font-family); font-size: 8pt;
}
.jp-Notebook .jp-RenderedHTMLCommon th, .jp-Notebook .jp-RenderedHTMLCommon td {
  white-space: normal; overflow-wrap: break-word; vertical-align: top;
  text-align: left; padding: 2px 4px; max-width: 18em;
}
.jp-RenderedImage img, .jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-OutputArea-output pre { white-space: pre-wrap; }
@media print {
  @page { size: A4; margin: 16mm 14mm 18mm 14mm; }
  h1, h2, h3, .jp-MarkdownCell { break-after: avoid; }
  /* JupyterLab keeps each output whole, which pushes a long table to the next page. */
  .jp-OutputArea-child { break-inside: auto; }
  .jp-RenderedImage, img, tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""

# Extends the lab template; the network-loading blocks are emptied, the brief CSS added.
BRIEF_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{%- block html_head_css -%}<style type=\"text/css\">" + BRIEF_CSS + "</style>"
    "{%- endblock html_head_css -%}\n"
)

FOOTER_TEMPLATE = (
    '<div style="font-family: DejaVu Sans, sans-serif; font-size: 7pt; color: #555; '
    'width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;">'
    '<span class="title"></span>'
    '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)

BRIEF_SETTINGS = {
    "exclude_input": True,
    "exclude_input_prompt": True,
    "exclude_output_prompt": True,
    "raw_template": BRIEF_TEMPLATE,
}


def find_chromium() -> Path:
    """Return the first Chromium of config.CHROMIUM_CANDIDATES on this machine, e.g. /usr/bin/chromium."""
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return Path(candidate)
    raise DatelineError(
        f"Chromium not found (looked for {', '.join(CHROMIUM_CANDIDATES)}); "
        f"install it with: {SYSDEPS_INSTALL}"
    )


def brief_html_exporter() -> HTMLExporter:
    """Return an HTMLExporter for the brief: code and prompts hidden, nothing loaded from the network."""
    return HTMLExporter(**BRIEF_SETTINGS)


class Chromium:
    """The system Chromium under playwright, on an event loop in a thread of its own.

    It starts launching when made (playwright's driver, then the browser: about a second), so a
    caller that makes it before other work has it ready afterwards; print_pdf may be called
    any number of times, from any thread (a running kernel's loop is never touched).

        with Chromium(find_chromium()) as chromium:
            html = ...  # meanwhile Chromium starts
            pdf_bytes = chromium.print_pdf(html)
    """

    def __init__(self, executable: Path, args: Iterable[str] = ()):
        self.executable = executable
        self._playwright = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dateline-chromium", daemon=True)
        self._thread.start()
        self._browser = self._submit(self._launch(list(CHROMIUM_ARGS) + list(args)))

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def print_pdf(self, html: str, render_wait_ms: int = 100) -> bytes:
        """Return the PDF bytes Chromium prints from the page `html` (A4, page numbers in the footer)."""
        browser = self._browser.result()  # raises the DatelineError of a launch that failed
        return self._submit(self._print(browser, html, render_wait_ms)).result()

    def close(self) -> None:
        """Close the browser and playwright (after a launch still under way) and end the thread."""
        with contextlib.suppress(Exception):  # a launch that failed has nothing to close
            self._browser.result()
        self._submit(self._stop()).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def _submit(self, coroutine) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def _launch(self, args: list[str]):
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        try:
            return await self._playwright.chromium.launch(
                executable_path=str(self.executable),
                args=args,
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
            )
        except Exception as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise DatelineError(f"Chromium at {self.executable} did not start: {first_line}") from error

    async def _stop(self) -> None:
        if self._browser.done() and self._browser.exception() is None:
            await self._browser.result().close()
        if self._playwright is not None:
            await self._playwright.stop()

    @staticmethod
    async def _print(browser, html: str, render_wait_ms: int) -> bytes:
        with tempfile.TemporaryDirectory(prefix="dateline-pdf-") as tmp:
            page_path = Path(tmp) / "brief.html"
            page_path.write_text(html, encoding="utf-8")
            page = await browser.new_page()
            try:
                # The page is one local file with images inlined: refuse anything else.
                await page.route(
                    "**/*",
                    lambda route: route.continue_()
                    if route.request.url.startswith(("file:", "data:"))
                    else route.abort(),
                )
                await page.emulate_media(media="print")
                await page.goto(page_path.as_uri(), wait_until="load")
                await page.wait_for_timeout(render_wait_ms)
                return await page.pdf(
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER_TEMPLATE,
                    margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                )
            finally:
                await page.close()


class SystemChromiumPDFExporter(WebPDFExporter):
    """WebPDFExporter that prints with the system Chromium, offline, on A4 with page numbers.

    Given a `browser` already started (a Chromium), it prints with that one; otherwise it
    starts Chromium for the one PDF.
    """

    def __init__(self, chromium: Path | None = None, browser: Chromium | None = None, **kwargs):
        super().__init__(**{**BRIEF_SETTINGS, **kwargs})
        self.chromium = chromium
        self.browser = browser

    def run_playwright(self, html: str) -> bytes:
        """Return the PDF bytes Chromium prints from `html`; nbconvert calls this after templating."""
        if self.browser is not None:
            return self.browser.print_pdf(html, self.page_render_timeout)
        with Chromium(self.chromium or find_chromium(), self.browser_args) as browser:
            return browser.print_pdf(html, self.page_render_timeout)
