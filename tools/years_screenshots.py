"""Screenshots of years side by side for the README, taken with Debian's chromium via Playwright.

    .venv/bin/python tools/years_screenshots.py reports/ docs/

writes ``docs/trends-overview.png`` (the top of ``reports/trends/trends.html``: title,
synthetic-data notice, the years, the rank trajectories) and ``docs/report-years.png``
(the comparison with the year before in ``reports/2013/report.html``: heading and
slope chart). Build the reports first (``make reports``). The CJK font comes from
the ``mplfonts`` package, as in ``tools/screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import ARGS, CHROMIUM, fontconfig  # noqa: E402


def shoot(reports: Path, out: Path, year: int = 2013) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(Path(tmp)))}
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1250}, device_scale_factor=1)
            page.goto((reports / "trends" / "trends.html").resolve().as_uri())
            page.wait_for_load_state("load")
            trends = out / "trends-overview.png"
            page.screenshot(path=str(trends), full_page=False)
            written.append(trends)

            page.goto((reports / str(year) / "report.html").resolve().as_uri())
            page.wait_for_load_state("load")
            heading = page.locator("section.wf-section", has_text=f"{year - 1} → {year}").first.bounding_box()
            slope = page.locator("img").nth(3).bounding_box()  # after the report's own three charts
            top, bottom = heading["y"] - 16, min(slope["y"] + slope["height"], heading["y"] + 1300) + 16
            shot = out / "report-years.png"
            page.screenshot(
                path=str(shot),
                full_page=True,
                clip={
                    "x": max(0, heading["x"] - 16),
                    "y": max(0, top),
                    "width": heading["width"] + 32,
                    "height": bottom - top,
                },
            )
            written.append(shot)
        finally:
            browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tools/years_screenshots.py REPORTS_DIR OUT_DIR")
    for path in shoot(Path(sys.argv[1]), Path(sys.argv[2])):
        print(f"wrote {path}")
