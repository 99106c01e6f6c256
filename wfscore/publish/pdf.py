"""Printing pages to PDF with a Chromium browser (Chromium, Chrome or Edge, driven by Playwright).

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
import ntpath
import os
import posixpath
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--font-render-hinting=none",
]
A4_MARGIN = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}


class PdfError(RuntimeError):
    """The PDF could not be printed; the message says why."""


# How long chromium may take to load and print one page: BASE seconds, and PER_MB more for
# each megabyte of its HTML (a 10,000-department report's page is 7 MB: 17 s to load, minutes to
# print on two busy cores), at most CEILING.
# Playwright's own 30 s, for any page, stopped the big reports halfway.
BASE_SECONDS, PER_MB_SECONDS, CEILING_SECONDS = 30.0, 60.0, 1200.0


def print_seconds(html: str) -> float:
    """The time :func:`print_pdfs` gives ``html`` (:data:`BASE_SECONDS`, :data:`PER_MB_SECONDS`)."""
    return min(CEILING_SECONDS, BASE_SECONDS + PER_MB_SECONDS * len(html.encode("utf-8")) / 1e6)


ENV_VAR = "WFSCORE_CHROMIUM"  # a browser's executable, chosen by the user: looked at first
# On the PATH, after the usual places: the names Debian, Ubuntu, Fedora and the vendors' packages give.
PATH_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
)


def well_known_paths(system: str | None = None, environ: dict | None = None) -> list[str]:
    """Where Chromium, Chrome and Edge are installed on ``system`` (``sys.platform``'s
    ``linux``, ``win32``, ``darwin``; default this one), in that order, as Playwright's
    ``channel`` lookup looks: on Windows under Program Files, Program Files (x86) and the
    user's LocalAppData (``environ``: default ``os.environ``), on macOS in
    ``/Applications`` and ``~/Applications``, on Linux in ``/usr/bin``, ``/snap/bin`` and
    ``/opt``. Tests replace this function to stand for a machine without a browser."""
    system = system or sys.platform
    environ = os.environ if environ is None else environ
    if system.startswith("win"):
        roots = [
            environ.get("PROGRAMFILES") or r"C:\Program Files",
            environ.get("PROGRAMFILES(X86)") or r"C:\Program Files (x86)",
        ]
        if environ.get("LOCALAPPDATA"):
            roots.append(environ["LOCALAPPDATA"])
        apps = (
            r"Chromium\Application\chrome.exe",
            r"Google\Chrome\Application\chrome.exe",
            r"Microsoft\Edge\Application\msedge.exe",
        )
        return [ntpath.join(root, app) for app in apps for root in roots]
    if system == "darwin":
        apps = (
            "Chromium.app/Contents/MacOS/Chromium",
            "Google Chrome.app/Contents/MacOS/Google Chrome",
            "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        )
        home = environ.get("HOME")
        roots = ["/Applications"] + ([posixpath.join(home, "Applications")] if home else [])
        return [posixpath.join(root, app) for app in apps for root in roots]
    return [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/snap/bin/chromium",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
        "/opt/google/chrome/chrome",
        "/usr/bin/microsoft-edge",
        "/usr/bin/microsoft-edge-stable",
        "/opt/microsoft/msedge/msedge",
    ]


def candidates(system: str | None = None, environ: dict | None = None) -> list[str]:
    """Every place a browser is looked for, in order: ``$WFSCORE_CHROMIUM``, the usual places
    (:func:`well_known_paths`), then :data:`PATH_NAMES` on the PATH."""
    environ = os.environ if environ is None else environ
    found = [environ.get(ENV_VAR) or ""] + well_known_paths(system, environ)
    path = environ.get("PATH", os.defpath)
    found += [shutil.which(name, path=path) or "" for name in PATH_NAMES]
    return [c for c in found if c]


def find_browser(system: str | None = None, environ: dict | None = None) -> str | None:
    """The first of :func:`candidates` that is an executable file, or None."""
    for candidate in candidates(system, environ):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_path() -> str:
    """The browser to print with (:func:`find_browser`); :class:`PdfError` when there is none."""
    found = find_browser()
    if found is None:
        raise PdfError(
            "no PDF was made: it needs Chrome, Edge or Chromium, and none was found (install one of "
            "them, or set WFSCORE_CHROMIUM to its executable)"
        )
    return found


@dataclass
class Job:
    """One page to print: its HTML, where the PDF goes, and A4 portrait or landscape."""

    html: str
    path: Path
    landscape: bool = False
    options: dict = field(default_factory=dict)


async def _load_and_print(page, job: Job) -> None:
    await page.set_content(job.html, wait_until="load", timeout=0)  # the time is kept by _print_one
    await page.evaluate("document.fonts.ready.then(() => true)")
    options = {"outline": True, "tagged": True, **job.options}  # a Job may turn the structure tree off
    await page.pdf(
        path=str(job.path),
        format="A4",
        landscape=job.landscape,
        print_background=True,
        prefer_css_page_size=True,
        margin=A4_MARGIN,
        **options,
    )


async def _print_one(page, job: Job) -> None:
    """Print ``job`` within :func:`print_seconds` of its page, else :class:`PdfError` naming the page."""
    limit = print_seconds(job.html)
    try:
        await asyncio.wait_for(_load_and_print(page, job), limit)
    except asyncio.TimeoutError:
        size, seconds = f"{len(job.html.encode('utf-8')) / 1e6:.1f}", f"{limit:.0f}"
        raise PdfError(
            f"no PDF was made: chromium did not finish printing {job.path.name} ({size} MB of HTML) "
            f"within {seconds} s, and was stopped (--no-pdf skips the PDF)"
        ) from None


async def _print_all(jobs: list[Job], tabs: int, on_done=None) -> None:
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
                        job = queue.pop()
                        await _print_one(page, job)
                        if on_done is not None:
                            on_done(job)
                finally:
                    await page.close()

            await asyncio.gather(*(worker() for _ in range(max(1, min(tabs, len(jobs))))))
        finally:
            await browser.close()


def print_pdfs(jobs: list[Job], tabs: int = 2, on_done=None) -> None:
    """Print every job with one chromium, ``tabs`` pages at a time; ``on_done(job)`` after each."""
    if not jobs:
        return
    try:
        asyncio.run(_print_all(jobs, tabs, on_done))
    except PdfError:
        raise
    except Exception as exc:  # Playwright's errors: a browser that does not start, a page that fails
        raise PdfError(f"chromium could not print the PDF ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc


def print_pdf(html: str, path: Path, landscape: bool = False) -> None:
    """Print one page to ``path``."""
    print_pdfs([Job(html, Path(path), landscape)], tabs=1)
