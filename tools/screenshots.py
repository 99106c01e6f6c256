"""Screenshots of a built report for the README, taken with Debian's chromium via Playwright.

    .venv/bin/python tools/screenshots.py reports/2011/report.html docs/

writes ``docs/report-overview.png`` (title, synthetic-data notice, headline figures,
top of the ranking) and ``docs/report-charts.png`` (the category distributions).
Chromium finds the CJK font through a temporary fontconfig file that adds the
fonts folder of the ``mplfonts`` package, so no system font needs installing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from wfscore.publish.fonts import font_path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def fontconfig(folder: Path) -> Path:
    """A fontconfig file: the system's configuration plus the mplfonts CJK fonts."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font_path().parent}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def shoot(report: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(Path(tmp)))}
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
            page.goto(report.resolve().as_uri())
            page.wait_for_load_state("load")
            overview = out / "report-overview.png"
            page.screenshot(path=str(overview), full_page=False)
            written.append(overview)
            charts = out / "report-charts.png"
            box = page.locator("section.wf-section").nth(3).bounding_box()  # the distributions
            pad = 16
            page.screenshot(
                path=str(charts),
                full_page=True,
                clip={
                    "x": max(0, box["x"] - pad),
                    "y": max(0, box["y"] - pad),
                    "width": box["width"] + 2 * pad,
                    "height": box["height"] + 2 * pad,
                },
            )
            written.append(charts)
        finally:
            browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tools/screenshots.py REPORT_HTML OUT_DIR")
    for path in shoot(Path(sys.argv[1]), Path(sys.argv[2])):
        print(f"wrote {path}")
