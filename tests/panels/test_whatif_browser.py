"""The what-if panel in a real browser: served as a page (``wfscore app DIR``, Voilà)
and by JupyterLab, driven through Playwright by the browser the project prints with
(:func:`wfscore.publish.pdf.find_browser`: WFSCORE_CHROMIUM, else Chromium, Chrome or Edge).

Each test starts its server on 127.0.0.1 on a free port (the page with the token it
prints), changes indicator 1's weight by typing into its slider readout, asserts that
the rank-change table shows moves, saves a screenshot under docs/screenshots/ and stops
the server it started with its kernels (tests/processes.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLE, need
from processes import stop_tree
from serving import free_port, served
from wfscore.publish.pdf import find_browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "docs" / "screenshots"
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "what_if.ipynb"
START_TIMEOUT = 90  # seconds for a server to answer
PANEL_TIMEOUT = 120_000  # ms for the kernel to start and the panel to draw


@contextmanager
def serve(command: list[str], url: str, log: Path, cwd: Path, env: dict | None = None):
    """Run ``command`` until ``url`` answers; stop it and what it started after."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{command[0]} exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answers (a redirect to a login page is still an answer)
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{url} did not answer in {START_TIMEOUT} s:\n{log.read_text(errors='replace')}")
                time.sleep(0.5)
        yield proc
    finally:
        stop_tree(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = find_browser()
    need(executable is not None, "a browser (Chromium, Chrome or Edge, or WFSCORE_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright Python package")
    from wfscore.publish.fonts import font_path

    # Chinese labels need a CJK font; the machine may have none, so chromium gets
    # the one matplotlib uses (shipped by mplfonts) through a fontconfig file.
    conf = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font_path().parent}</dir>\n  <cachedir>{conf.parent / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, env={**os.environ, "FONTCONFIG_FILE": str(conf)}
            )
        except Exception as exc:  # noqa: BLE001 - any failure to start is "no browser"
            need(False, f"a chromium that starts ({exc})")
        yield chromium
        chromium.close()


def change_weight_and_check(page, shot: Path) -> None:
    """The panel shows no moves; type a new weight for indicator 1; moves appear."""
    changes = page.locator(".wf-changes")
    changes.wait_for(timeout=PANEL_TIMEOUT)
    assert "▲" not in changes.inner_text() and "▼" not in changes.inner_text()
    assert page.locator(".wf-synthetic").count() == 1  # the sample year is synthetic, and says so
    readout = page.locator(".wf-weight-1 .widget-readout")
    assert readout.inner_text().strip() == "70.0"
    readout.click()
    readout.fill("5")
    readout.press("Enter")
    page.locator(".wf-changes", has_text="▲").wait_for(timeout=30_000)
    text = changes.inner_text()
    assert "▲" in text and "▼" in text
    assert page.locator(".wf-weight-1 .widget-readout").inner_text().strip() == "5.0"
    summary = page.locator(".wf-summary").inner_text()
    assert "个部门名次变化" in summary
    # highlight the department that moved most: its breakdown appears
    first = page.locator(".wf-changes tbody tr").first.locator("td").first.inner_text().strip()
    page.locator(".wf-picker select").select_option(label=first)
    page.locator(".wf-breakdown", has_text=first).wait_for(timeout=30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)


def test_voila_page(browser, tmp_path):
    """``wfscore app DIR`` serves the notebook as a page without code; a weight change moves ranks."""
    with served("app", SAMPLE, tmp_path / "app.log") as (_, url):
        page = browser.new_page(viewport={"width": 1400, "height": 1500})
        page.goto(url)
        change_weight_and_check(page, SHOTS / "whatif_voila.png")
        # code is hidden: only the panel's own widgets show, no input cells
        assert page.locator(".jp-InputArea, .jp-Cell-inputWrapper").count() == 0
        assert "load_year" not in page.inner_text("body")
        page.close()


# Every <img> that shows has a picture (a broken one has naturalWidth 0).
BROKEN_IMAGES = """() => [...document.querySelectorAll('img')]
    .filter(img => img.getClientRects().length > 0 && !(img.complete && img.naturalWidth > 0))
    .map(img => img.className || img.src.slice(0, 60))"""

# Elements that reach past the viewport's right edge or are wider than it, except those
# inside one of the panel's own scrolling boxes (which must themselves fit), and
# whether the page scrolls sideways.
TOO_WIDE = """() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || el.closest('.wf-scroll-x') && !el.matches('.wf-scroll-x')) continue;
        if (box.right > width + 0.5 || box.width > width + 0.5)
            out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} `
                     + `(${Math.round(box.left)}–${Math.round(box.right)})`);
    }
    const scroller = document.scrollingElement;
    if (scroller.scrollWidth > scroller.clientWidth) out.push(`the page scrolls sideways: ${scroller.scrollWidth}`);
    return out;
}"""

# Tables without a header row of <th> cells.
HEADLESS_TABLES = """() => [...document.querySelectorAll('.wf-whatif table')]
    .filter(t => !(t.tHead && t.tHead.rows.length && [...t.tHead.rows[0].cells].every(c => c.tagName === 'TH'
                                                                                   && c.textContent.trim())))
    .map(t => t.closest('.widget-html')?.className || t.className)"""

# Labels whose text is cut (wider than their box) with no tooltip saying it all, and
# buttons whose text is cut at all.
CUT_TEXT = """() => [...document.querySelectorAll('.wf-whatif .widget-label, .wf-whatif button')]
    .filter(el => el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth + 1
                  && (el.tagName === 'BUTTON' || !(el.title && el.title.includes(el.textContent.trim()))))
    .map(el => el.textContent.trim())"""


def off_host(url: str) -> bool:
    """True for a request to anything but 127.0.0.1 (blob: and data: URLs are the page's own)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "data":
        return False
    if parts.scheme == "blob":
        parts = urllib.parse.urlsplit(parts.path)
    return parts.hostname != "127.0.0.1"


def check_page(page) -> None:
    # an image just replaced (a chart redrawn) is given time to load; one that never
    # does fails here, one that loads broken fails below
    page.wait_for_function("() => [...document.images].every(img => img.complete)", timeout=30_000)
    assert page.evaluate(BROKEN_IMAGES) == []
    assert page.evaluate(TOO_WIDE) == []
    assert page.evaluate(HEADLESS_TABLES) == []
    assert page.evaluate(CUT_TEXT) == []


def test_voila_page_on_a_laptop_screen_offline(browser, tmp_path):
    """At 1366×768: no broken image (before and after 稳健性分析), nothing wider than the
    screen (the breakdown of several departments scrolls in its box), no cut label,
    a header row on every table, and not one request to a host other than 127.0.0.1."""
    with served("app", SAMPLE, tmp_path / "app.log") as (_, url):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        requests, sockets = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(url)
        page.locator(".wf-changes").wait_for(timeout=PANEL_TIMEOUT)
        page.locator(".wf-distributions").wait_for(timeout=PANEL_TIMEOUT)
        page.wait_for_load_state("networkidle")
        assert page.locator(".wf-robust-ranks").count() == 1  # there, but not shown empty
        assert page.title() == "假设分析"  # the browser tab speaks Chinese too (the notebook's title)
        check_page(page)
        # a scenario, and many departments picked: the breakdown is wide and long
        readout = page.locator(".wf-weight-1 .widget-readout")
        readout.click()
        readout.fill("5")
        readout.press("Enter")
        page.locator(".wf-changes", has_text="▲").wait_for(timeout=30_000)
        page.locator(".wf-picker select").select_option(index=list(range(0, 40, 3)))
        page.locator(".wf-breakdown table").wait_for(timeout=30_000)
        check_page(page)
        box = page.locator(".wf-breakdown .wf-scroll-x")
        assert box.evaluate("el => el.scrollHeight > el.clientHeight")  # it scrolls in its box
        page.locator(".wf-robust-button").click()
        page.locator(".wf-robust-table").wait_for(timeout=PANEL_TIMEOUT)
        page.locator(".wf-robust-indices").wait_for(state="visible", timeout=30_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.wf-robust-ranks img, img.wf-robust-ranks')]"
            ".every(img => img.complete)"
        )
        check_page(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "whatif_1366x768.png"))
        page.close()
    assert requests and sockets  # the page, its scripts and pictures, the kernel's websocket
    assert [url for url in requests + sockets if off_host(url)] == []


@contextmanager
def jupyterlab(tmp_path: Path, root: Path):
    """JupyterLab serving ``root`` (a scratch tree) on 127.0.0.1 with temporary
    settings, workspace and runtime folders; yields its base URL and token."""
    lab = BIN / "jupyter-lab"
    need(lab.exists(), f"jupyter-lab beside {sys.executable}")
    for folder in ("settings", "workspaces", "runtime"):
        (tmp_path / folder).mkdir()
    # no "get notified about Jupyter news?" toast over the screenshot
    notification = tmp_path / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false"}', encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(lab),
        "--allow-root",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        f"--ServerApp.root_dir={root}",
    ]
    env = {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    with serve(command, f"http://127.0.0.1:{port}/api/status?token={token}", tmp_path / "lab.log", root, env):
        yield f"http://127.0.0.1:{port}", token


def open_and_run_all(page, url: str) -> None:
    """Open a notebook in JupyterLab, wait for its kernel to be connected and idle, run all cells."""
    page.goto(url)
    page.wait_for_function(
        """() => {
            const app = window.jupyterapp;
            const panel = app && app.shell.currentWidget;
            const session = panel && panel.context && panel.context.sessionContext;
            const kernel = session && session.session && session.session.kernel;
            return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
        }""",
        timeout=PANEL_TIMEOUT,
    )
    page.evaluate("window.jupyterapp.shell.collapseLeft()")  # room for the panel
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def test_jupyterlab(browser, tmp_path):
    """The analysts' client: open the notebook in JupyterLab, run all, change a weight."""
    # a scratch tree, so that JupyterLab's autosave never writes outputs into the repo
    root = tmp_path / "root"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)
    shutil.copytree(ROOT / "data" / "2011", root / "data" / "2011")
    with jupyterlab(tmp_path, root) as (base, token):
        page = browser.new_page(viewport={"width": 1500, "height": 1500})
        open_and_run_all(page, f"{base}/lab/tree/notebooks/what_if.ipynb?token={token}")
        change_weight_and_check(page, SHOTS / "whatif_jupyterlab.png")
        page.close()
