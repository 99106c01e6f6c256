"""Printing pages to PDF with chromium (Debian's, driven by Playwright).

Why chromium rather than WeasyPrint: the report page is nbconvert's JupyterLab page
(flexbox, CSS variables, sticky headers) and chromium draws it as the reader's
browser does; it embeds (subsets) every font it uses, honours CSS ``@page`` with
margin boxes (the page numbers, in the page's own embedded font), ``break-inside:
avoid``, ``break-after: avoid`` and repeated ``thead`` rows; and it is already
needed by the browser tests. One browser prints many pages: a card costs a new tab,
not a new browser, and a tab prints card after card (README, "Feedback cards and print", has the measurements).

Nothing is fetched: every request other than the page's own ``data:`` URIs is
aborted, so a page that names a remote resource prints without it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--font-render-hinting=none"]
A4_MARGIN = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}


class PdfError(RuntimeError):
    """The PDF could not be printed; the message says why."""


def chromium_path() -> str:
    """The chromium to print with: ``$WFSCORE_CHROMIUM``, else Debian's ``/usr/bin/chromium``,
    else the first ``chromium`` on the PATH."""
    for candidate in (os.environ.get("WFSCORE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise PdfError("chromium was not found (expected /usr/bin/chromium: `apt-get install chromium`, or set "
                   "WFSCORE_CHROMIUM to a chromium executable)")


@dataclass
class Job:
    """One page to print: its HTML, where the PDF goes, and A4 portrait or landscape."""

    html: str
    path: Path
    landscape: bool = False
    options: dict = field(default_factory=dict)


async def _print_one(page, job: Job) -> None:
    await page.set_content(job.html, wait_until="load")
    await page.evaluate("document.fonts.ready.then(() => true)")
    await page.pdf(path=str(job.path), format="A4", landscape=job.landscape, print_background=True,
                   prefer_css_page_size=True, margin=A4_MARGIN, outline=True, tagged=True, **job.options)


async def _print_all(jobs: list[Job], tabs: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(java_script_enabled=True, offline=True)

            async def only_data(route):  # nothing from the network, nor from the disk
                await route.abort()

            await context.route("**/*", only_data)
            queue = list(reversed(jobs))

            async def worker():  # one tab prints page after page: a new tab costs more than a page
                page = await context.new_page()
                await page.emulate_media(media="print")
                try:
                    while queue:
                        await _print_one(page, queue.pop())
                finally:
                    await page.close()

            await asyncio.gather(*(worker() for _ in range(max(1, min(tabs, len(jobs))))))
        finally:
            await browser.close()


def print_pdfs(jobs: list[Job], tabs: int = 2) -> None:
    """Print every job with one chromium, ``tabs`` pages at a time."""
    if not jobs:
        return
    try:
        asyncio.run(_print_all(jobs, tabs))
    except PdfError:
        raise
    except Exception as exc:  # Playwright's errors: a browser that does not start, a page that fails
        raise PdfError(f"chromium could not print the PDF ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc


def print_pdf(html: str, path: Path, landscape: bool = False) -> None:
    """Print one page to ``path``."""
    print_pdfs([Job(html, Path(path), landscape)], tabs=1)
